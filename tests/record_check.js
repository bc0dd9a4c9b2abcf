// The editor's page's record check (assets/casebook/record-check.js) run outside a browser, for the parity tests
// (tests/test_record_check.py) that compare it with `casebook validate`'s Python checks:
//
//   node tests/record_check.js < questions.json > answers.json
//
// Reads {data, phrases, records, labels, suggestions}: edit/editor.json's data, number phrases, records, schema key
// paths, and [name, labels, limit] triples. Writes, in the same order, what CasebookCheck answers for each: a phrase's
// quantity (or {error}), a record's problems, a path's field label, and the closest labels.
"use strict";
const fs = require("fs");
const path = require("path");

const CasebookCheck = require(path.join(__dirname, "..", "plugins", "casebook", "assets", "record-check.js"));

const questions = JSON.parse(fs.readFileSync(0, "utf8"));
const quantity = (phrase) => {
  try {
    return CasebookCheck.quantity(phrase);
  } catch (error) {
    return { error: error.message };
  }
};
process.stdout.write(JSON.stringify({
  phrases: questions.phrases.map(quantity),
  records: questions.records.map((record) => CasebookCheck.check(record, questions.data)),
  labels: questions.labels.map((keyPath) => CasebookCheck.fieldLabel(questions.data.schema, keyPath)),
  suggestions: questions.suggestions.map(([name, labels, limit]) => CasebookCheck.closest(name, labels, limit)),
}));
