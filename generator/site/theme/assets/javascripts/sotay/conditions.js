/*
 * Evaluate the compiled conditions of guided procedures ("chỉ khi"): a port
 * of evaluate() in generator/conditions.py, which compiles them at build time
 * to this JSON form. tests/test_conditions.py runs both on the same
 * generated cases, so keep the two in step.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory()
  else root.sotayConditions = factory()
})(this, function () {
  "use strict"

  function isBool(x) { return typeof x === "boolean" }
  function isNumber(x) { return typeof x === "number" }
  function isString(x) { return typeof x === "string" }

  function comparable(a, b) {
    if (a === null || a === undefined || b === null || b === undefined) return false
    if (isBool(a) || isBool(b)) return isBool(a) && isBool(b)
    return (isNumber(a) && isNumber(b)) || (isString(a) && isString(b))
  }

  function value(node, answers) {
    if (node[0] === "q") return Object.prototype.hasOwnProperty.call(answers, node[1]) ? answers[node[1]] : null
    if (node[0] === "v") return node[1]
    return evaluate(node, answers)
  }

  function evaluate(node, answers) {
    switch (node[0]) {
      case "or":
        for (var i = 1; i < node.length; i++) if (evaluate(node[i], answers)) return true
        return false
      case "and":
        for (var j = 1; j < node.length; j++) if (!evaluate(node[j], answers)) return false
        return true
      case "not":
        return !evaluate(node[1], answers)
      case "in":
        var v = value(node[1], answers)
        return node[2].some(function (x) { return comparable(v, x) && v === x })
      case "cmp":
        var a = value(node[2], answers), b = value(node[3], answers)
        if (!comparable(a, b)) return false
        switch (node[1]) {
          case "=": return a === b
          case "!=": return a !== b
        }
        if (isBool(a)) return false
        switch (node[1]) {
          case "<": return a < b
          case "<=": return a <= b
          case ">": return a > b
          case ">=": return a >= b
        }
        throw new Error("unknown operator " + node[1])
      case "q":
        return value(node, answers) === true
      case "v":
        return node[1] === true
    }
    throw new Error("unknown node " + node[0])
  }

  return { evaluate: evaluate }
})
