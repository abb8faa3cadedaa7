/*
 * Rehabit's skip logic (show_if), evaluated in the browser: the reference implementation
 * for clients of GET /api/v1/assessment/questionnaire.
 *
 * The rule is two-valued, like FHIR's enableWhen: a condition about a question that has no
 * answer is false; "all", "any" and "not" then combine plain true and false. A question
 * applies (may be answered, and must be when required) only when its show_if is true.
 *
 *   RehabitSkipLogic.applies(rule, answers)        -> boolean
 *   RehabitSkipLogic.shown(questionnaire, answers) -> ids of the questions that apply
 */
(function (global) {
  "use strict";

  function has(answers, id) {
    return Object.prototype.hasOwnProperty.call(answers, id) && answers[id] !== null;
  }

  function applies(rule, answers) {
    if (rule === null || rule === undefined) return true;
    if (Object.prototype.hasOwnProperty.call(rule, "all")) {
      return rule.all.every(function (part) { return applies(part, answers); });
    }
    if (Object.prototype.hasOwnProperty.call(rule, "any")) {
      return rule.any.some(function (part) { return applies(part, answers); });
    }
    if (Object.prototype.hasOwnProperty.call(rule, "not")) {
      return !applies(rule.not, answers);
    }
    var id = rule.q;
    if (Object.prototype.hasOwnProperty.call(rule, "answered")) {
      return has(answers, id) === rule.answered;
    }
    if (!has(answers, id)) return false;
    var value = answers[id];
    if (Object.prototype.hasOwnProperty.call(rule, "in")) {
      if (Array.isArray(value)) {
        return value.some(function (v) { return rule.in.indexOf(v) !== -1; });
      }
      return rule.in.indexOf(value) !== -1;
    }
    if (Object.prototype.hasOwnProperty.call(rule, "all_of")) {
      return Array.isArray(value) && rule.all_of.every(function (v) { return value.indexOf(v) !== -1; });
    }
    if (Object.prototype.hasOwnProperty.call(rule, "gte")) return value >= rule.gte;
    if (Object.prototype.hasOwnProperty.call(rule, "lte")) return value <= rule.lte;
    throw new Error("Unknown skip-logic rule: " + JSON.stringify(rule));
  }

  function shown(questionnaire, answers) {
    var ids = [];
    questionnaire.sections.forEach(function (section) {
      section.questions.forEach(function (question) {
        if (applies(question.show_if, answers)) ids.push(question.id);
      });
    });
    return ids;
  }

  global.RehabitSkipLogic = { applies: applies, shown: shown };
})(typeof window !== "undefined" ? window : this);
