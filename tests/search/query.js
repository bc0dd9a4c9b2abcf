// The site's own search worker (assets/casebook/search.js), run outside a browser on a built site's index:
// the same segmentation and ranking a reader's phone does, for the evaluation (tests/search/evaluate.py).
//
//   node tests/search/query.js SITE_DIR < queries.json > results.json
//
// Reads a JSON list of queries; writes, for each, the addresses of its results in the order listed and the
// index files the worker fetched for it (a fresh worker per query, as a reader's first search).
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const read = (...parts) => fs.readFileSync(path.join(site, ...parts), "utf8");
const context = vm.createContext({ URL });
context.self = context;
vm.runInContext(read("assets", "casebook", "search.js"), context);
const manifest = JSON.parse(read("search", "search_index.json"));

(async () => {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const answers = [];
  for (const query of queries) {
    const fetched = [];
    const load = (name) => {
      fetched.push(`search/${name}.json`);
      return Promise.resolve(JSON.parse(read("search", name + ".json")));
    };
    const { items } = await new context.CasebookSearch(manifest.config, load).results(query);
    answers.push({ results: items.map((item) => item[0].location), fetched });
  }
  process.stdout.write(JSON.stringify(answers));
})();
