"""'Góp ý về trang này': the feedback address from the plugin's configuration.

The box itself is theme/partials/sotay-feedback.html and
theme/assets/javascripts/sotay/feedback.js; nothing leaves the browser unless
the officer opens the e-mail program or pastes the copied text."""

from __future__ import annotations

import re

# One plain address: no display name, no list, nothing a mailto: link would
# read as more headers or recipients.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def feedback_address(value: object) -> str:
    """The configured address, or "" when none is set (the box then only
    offers to copy the message).  A value that is not one e-mail address is
    an error in Vietnamese naming the setting."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"feedback_email phải là một địa chỉ thư điện tử, không phải {value!r}")
    address = value.strip()
    if address and not _ADDRESS.fullmatch(address):
        raise ValueError(f"feedback_email '{address}' không phải một địa chỉ thư điện tử "
                         "(ví dụ gopy@phuong-abc.gov.vn); để trống nếu chưa có")
    return address
