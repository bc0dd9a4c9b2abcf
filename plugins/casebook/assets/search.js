/* 吉林基层治理案例库 · 检索
 *
 * The worker behind Material's search box (the page swaps it in for Material's lunr worker; the
 * messages are Material's). It reads the manifest Material hands it, then fetches only the shards a
 * query needs (casebook/search.py writes them): the term shards of the query's characters, which are
 * both the dictionary the query is segmented with and the postings it is ranked with, and the entry
 * shards of the results on screen. Plain ES2017 and no Intl.Segmenter: old WeChat browsers run it.
 * Everything it returns is escaped here, because Material inserts result titles and text as HTML.
 */
(function (scope) {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3; // Material's message types
  var SHOWN = 20; // results listed, with their titles and snippets: two screens on a phone
  var LONGEST_TERM = 12; // characters; the longest word of the vocabulary is ten
  var GUESS = 0.5; // a piece no term matches whole counts as the start of a word (typing 蜂 → 蜂巢), at half weight
  var SNIPPET = 64; // characters of text around the first match

  function CasebookSearch(config, load) {
    var settings = config.casebook;
    this.load = load; // shard name ("terms/3") → Promise of its content
    this.termShards = settings.termShards;
    this.entriesPerShard = settings.entriesPerShard;
    this.runs = new RegExp(settings.runs, "g");
    this.fillers = new Set(settings.fillers);
    this.shards = new Map();
  }

  CasebookSearch.prototype.shard = function (name) {
    var self = this;
    if (!this.shards.has(name)) {
      this.shards.set(name, this.load(name).catch(function (error) {
        self.shards.delete(name); // a failed download is tried again with the next query
        throw error;
      }));
    }
    return this.shards.get(name);
  };

  CasebookSearch.prototype.termShard = function (character) {
    return "terms/" + (character.codePointAt(0) % this.termShards);
  };

  // The query's runs (Han, or Latin letters and digits), with the term shards of every character a
  // term may start at loaded: name → shard.
  CasebookSearch.prototype.prepare = function (text) {
    var runs = text.normalize("NFKC").toLowerCase().match(this.runs) || [];
    var names = new Set();
    var self = this;
    runs.forEach(function (run) {
      var characters = isLatin(run) ? [run[0]] : Array.from(run);
      characters.forEach(function (character) { names.add(self.termShard(character)); });
    });
    var list = Array.from(names);
    return Promise.all(list.map(function (name) { return self.shard(name); })).then(function (loaded) {
      var shards = new Map();
      list.forEach(function (name, i) { shards.set(name, loaded[i] || {}); });
      return { runs: runs, shards: shards };
    });
  };

  // What the query asks for: groups of terms, each a word of the query (or a piece no word covers,
  // matched as the start of words). A result ranks by how many groups it matches, then by weight.
  CasebookSearch.prototype.groups = function (prepared) {
    var self = this, groups = [];
    // The terms starting with a character: the loaded shard it falls in.
    var dictionary = function (character) { return prepared.shards.get(self.termShard(character)); };
    prepared.runs.forEach(function (run) {
      var pieces = isLatin(run) ? [{ text: run, known: has(dictionary(run[0]), run) }] : segment(run, dictionary);
      pieces.forEach(function (piece) { groups.push(piece); });
    });
    var meaningful = groups.filter(function (piece) { return !self.fillers.has(piece.text); });
    if (meaningful.length) groups = meaningful;
    var seen = new Set();
    return groups.filter(function (piece) {
      if (seen.has(piece.text)) return false;
      seen.add(piece.text);
      return true;
    }).map(function (piece) {
      if (piece.known) {
        return { word: piece.text, known: true, marks: [piece.text], terms: [[dictionary(piece.text[0])[piece.text], 1]] };
      }
      // Unknown: the words it starts, else the words each of its characters starts (警察 → 警务, 警地融合).
      var starts = startingWith(dictionary(piece.text[0]), piece.text);
      var marks = [piece.text];
      if (!starts.length && piece.text.length > 1) {
        marks = Array.from(piece.text).filter(function (c) { return !self.fillers.has(c); });
        starts = [].concat.apply([], marks.map(function (c) { return startingWith(dictionary(c), c); }));
      }
      return { word: piece.text, known: false, marks: marks, terms: starts.map(function (postings) { return [postings, GUESS]; }) };
    });
  };

  // Entry numbers in rank order, and the groups.
  CasebookSearch.prototype.rank = function (text) {
    var self = this;
    return this.prepare(text).then(function (prepared) {
      var groups = self.groups(prepared);
      // Words of the vocabulary decide the order; guessed word starts only add weight, unless nothing else is asked.
      var guessesCount = !groups.some(function (group) { return group.known; });
      var found = new Map(); // entry number → [groups matched, weight]
      groups.forEach(function (group) {
        var best = new Map();
        group.terms.forEach(function (term) {
          var postings = term[0], factor = term[1], entry = 0;
          for (var i = 0; i < postings.length; i += 2) {
            entry += postings[i];
            var weight = postings[i + 1] * factor;
            if (!(best.get(entry) >= weight)) best.set(entry, weight);
          }
        });
        group.matched = best.size > 0;
        best.forEach(function (weight, entry) {
          var sum = found.get(entry) || [0, 0];
          found.set(entry, [sum[0] + (group.known || guessesCount ? 1 : 0), sum[1] + weight]);
        });
      });
      var ranked = Array.from(found.keys()).sort(function (a, b) {
        var x = found.get(a), y = found.get(b);
        return y[0] - x[0] || y[1] - x[1] || a - b;
      });
      return { groups: groups, ranked: ranked, found: found };
    });
  };

  // The results as Material's search box lists them (items: [[item]] with escaped title and text), the first
  // SHOWN of the total.
  CasebookSearch.prototype.results = function (text) {
    var self = this;
    return this.rank(text).then(function (outcome) {
      var shown = outcome.ranked.slice(0, SHOWN);
      // One download per entry shard: shard() hands every later caller the same promise.
      return Promise.all(shown.map(function (n) {
        return self.shard("entries/" + Math.floor(n / self.entriesPerShard)).then(function (entries) {
          return entries[n % self.entriesPerShard];
        });
      })).then(function (entries) {
        var marks = [].concat.apply([], outcome.groups.filter(function (g) { return g.matched; })
          .map(function (g) { return g.marks; }));
        var terms = {};
        outcome.groups.forEach(function (group) { terms[group.word] = group.matched; });
        var items = entries.map(function (entry, i) {
          return [{
            location: entry[0],
            title: highlighted(entry[1], marks),
            text: '<p class="cb-search-label">' + escapeHTML(entry[2]) + "</p>" +
              (entry[3] ? '<p class="cb-search-snippet">' + highlighted(snippet(entry[3], marks), marks) + "</p>" : ""),
            score: outcome.found.get(shown[i])[1] / 1000,
            terms: terms
          }];
        });
        return { items: items, total: outcome.ranked.length };
      });
    });
  };

  // Longest words along a Han run, by dynamic programming: as many characters covered by known words as
  // possible, in as few pieces as possible, the last character included. Uncovered characters in a row
  // are one unknown piece.
  function segment(run, dictionary) {
    var characters = Array.from(run), n = characters.length;
    var best = new Array(n + 1); // best[i]: [covered, pieces, next] for characters i…n
    best[n] = [0, 0, n];
    for (var i = n - 1; i >= 0; i--) {
      var words = dictionary(characters[i]);
      best[i] = [best[i + 1][0], best[i + 1][1] + 1, i + 1];
      for (var end = Math.min(n, i + LONGEST_TERM); end > i + 1; end--) {
        if (has(words, characters.slice(i, end).join(""))) {
          var covered = best[end][0] + end - i, pieces = best[end][1] + 1;
          if (covered > best[i][0] || (covered === best[i][0] && pieces < best[i][1])) best[i] = [covered, pieces, end];
        }
      }
    }
    var pieces = [], unknown = "";
    for (var at = 0; at < n; at = best[at][2]) {
      var next = best[at][2];
      if (next === at + 1 && !has(dictionary(characters[at]), characters[at])) {
        unknown += characters[at];
        continue;
      }
      if (unknown) pieces.push({ text: unknown, known: false });
      unknown = "";
      pieces.push({ text: characters.slice(at, next).join(""), known: true });
    }
    if (unknown) pieces.push({ text: unknown, known: false });
    return pieces;
  }

  function has(shard, term) {
    return Object.prototype.hasOwnProperty.call(shard, term);
  }

  function startingWith(shard, prefix) {
    return Object.keys(shard).filter(function (term) { return term.startsWith(prefix); })
      .map(function (term) { return shard[term]; });
  }

  function isLatin(run) {
    return /^[0-9a-z]/.test(run);
  }

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ``text`` escaped, with the query's words marked (matching ignores case and full-width forms).
  function highlighted(text, marks) {
    var plain = String(text), folded = plain.normalize("NFKC").toLowerCase();
    if (folded.length !== plain.length) folded = plain.toLowerCase();
    var spans = [];
    marks.forEach(function (mark) {
      for (var at = folded.indexOf(mark); mark && at >= 0; at = folded.indexOf(mark, at + mark.length)) {
        spans.push([at, at + mark.length]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var html = "", position = 0;
    spans.forEach(function (span) {
      if (span[0] < position) return;
      html += escapeHTML(plain.slice(position, span[0])) + "<mark>" + escapeHTML(plain.slice(span[0], span[1])) + "</mark>";
      position = span[1];
    });
    return html + escapeHTML(plain.slice(position));
  }

  // About SNIPPET characters of ``text`` around the first of the query's words in it.
  function snippet(text, marks) {
    var folded = text.toLowerCase(), first = -1;
    marks.forEach(function (mark) {
      var at = folded.indexOf(mark);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first > SNIPPET / 2 ? first - SNIPPET / 4 : 0;
    var cut = text.slice(start, start + SNIPPET);
    return (start > 0 ? "…" : "") + cut + (start + SNIPPET < text.length ? "…" : "");
  }

  scope.CasebookSearch = CasebookSearch;

  // In a worker (or the frame that stands in for one where pages open from a folder): Material's messages.
  if (typeof scope.addEventListener !== "function") return;
  var here = scope.document && scope.document.currentScript ? scope.document.currentScript.src : scope.location.href;
  var folder = new URL("{{ search_dir }}", here).href;
  var search = null, latest = 0;

  function load(name) {
    if (!scope.__casebookScripts) {
      return fetch(folder + name + ".json?v=" + search.version).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + name);
        return response.json();
      });
    }
    // Pages opened from a folder: shards are scripts that hand their content to __casebookSearchShard.
    return new Promise(function (resolve, reject) {
      var element = scope.document.createElement("script");
      scope.__casebookScripts.set(name, resolve);
      element.onerror = function () { reject(new Error(name)); };
      element.src = folder + name + ".js";
      scope.document.body.appendChild(element);
    });
  }

  scope.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === SETUP) {
      search = new CasebookSearch(message.data.config, load);
      search.version = message.data.config.casebook.version;
      if (message.data.config.casebook.scripts && scope.document) {
        scope.__casebookScripts = new Map();
        scope.__casebookSearchShard = function (name, content) { scope.__casebookScripts.get(name)(content); };
      }
      scope.postMessage({ type: READY });
    } else if (message.type === QUERY && search) {
      var asked = ++latest, query = String(message.data);
      var answer = query.trim() ? search.results(query) : Promise.resolve({ items: [], total: 0 });
      answer.then(function (result) {
        if (asked === latest) scope.postMessage({ type: RESULT, data: result });
      }, function () {
        if (asked === latest) scope.postMessage({ type: RESULT, data: { items: [], total: 0, failed: true } });
      });
    }
  });
})(typeof self !== "undefined" ? self : this);
