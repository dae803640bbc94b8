// Runs queries on the whole lunr index and through the shard loader; prints JSON.
//
// usage: node equivalence.js <lunr.js> <search dir> <whole-index.json> <queries.json>
// queries.json: {"queries": [...], "docRefs": [...]} (docRefs go through loadDocs).
// Output: {"<query>": {"whole": [...], "shards": [...], "requested": [...], "planned": [...]}}
// ("requested": files loaded for this query, after earlier queries; "planned": shards it needs) where each
// result is {ref, score, terms} (terms: the matchData term -> fields, sorted) or
// {"error": "..."} when lunr throws (a query syntax error must throw in both).
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [lunrPath, searchDir, wholePath, queriesPath] = process.argv.slice(2);
const lunr = require(path.resolve(lunrPath));
const loaderModule = require(path.resolve(__dirname, "../../theme/static/js/search-index.js"));

function summarise(results) {
  return results.map((r) => {
    const terms = {};
    for (const term of Object.keys(r.matchData.metadata).sort()) {
      terms[term] = Object.keys(r.matchData.metadata[term]).sort();
    }
    return { ref: r.ref, score: r.score, terms };
  });
}

async function attempt(fn) {
  try {
    return summarise(await fn());
  } catch (error) {
    return { error: String(error.name) + ": " + String(error.message) };
  }
}

async function main() {
  const whole = lunr.Index.load(JSON.parse(fs.readFileSync(wholePath, "utf8")));
  const { queries, docRefs } = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
  let requested = [];
  let api = null;
  // Mimics the browser: evaluate the data file as a script with window.ArchiveSearch,
  // then fire onload asynchronously.
  function insertScript(url, onload, onerror) {
    const file = url.split("?")[0];
    requested.push(path.basename(file));
    fs.readFile(file, "utf8", (error, code) => {
      if (error) {
        setImmediate(onerror);
        return;
      }
      vm.runInNewContext(code, { window: { ArchiveSearch: api } }, { filename: file });
      setImmediate(onload);
    });
  }
  api = loaderModule.create({
    root: searchDir,
    lunr,
    insertScript,
    cacheBust: false,
    maxShards: Infinity,
  });
  await api.ready();
  const output = {};
  for (const query of queries) {
    requested = [];
    const shards = await attempt(() => api.search(query));
    const files = requested.slice().sort();
    const plan = await api.plan(query).catch(() => null);
    output[query] = {
      whole: await attempt(async () => whole.search(query)),
      shards,
      requested: files,
      planned: plan ? plan.shards : null,
      fullScan: plan ? plan.fullScan : null,
    };
  }
  requested = [];
  const docs = await api.loadDocs(docRefs);
  output["<docs>"] = { docs, requested: requested.slice().sort() };
  // The default limit refuses a query that needs more than 40 shards.
  const limited = loaderModule.create({ root: searchDir, lunr, insertScript, cacheBust: false });
  api = limited;
  output["<limit>"] = {
    fuzzy: await attempt(() => limited.search("armi~2")),
    allowed: (await limited.search("armi~2", { maxShards: Infinity })).length,
    plan: await limited.plan("armi~2"),
  };
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
