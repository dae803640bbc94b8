/*
 * The search page (theme/templates/search.html): results as you type (the word being
 * typed matches as a prefix until a space or submit), quoted phrases, "Did you mean" for
 * misspelled words, filters by year, agency and a From/To range of months with counts
 * over every match, sort by relevance or date, "show more" paging, the query in the URL
 * (?q=, sort, year, agency, from, to) so a result list can be linked and the back button
 * works, keyboard navigation and a polite live status.
 *
 * Data comes from window.ArchiveSearch (search-index.js); every string from the index
 * is inserted as text (textContent, text nodes, <mark> elements built by hand), never
 * as HTML. No fetch, workers or modules: it works opened from disk (file://) too.
 * Defines no global of its own.
 */
(function (global) {
  "use strict";

  var document = global.document;
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 150; // results are shown once typing pauses this long
  var PREFETCH_MS = 80; // the query's index parts and first results are loaded sooner
  var SORTS = { newest: "newest first", oldest: "oldest first" };
  var MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];

  var search = global.ArchiveSearch;
  var app = document.getElementById("search-app");
  if (!app || !search) {
    return;
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var controls = document.getElementById("search-controls");
  var sortSelect = document.getElementById("search-sort");
  var yearSelect = document.getElementById("search-year");
  var agencySelect = document.getElementById("search-agency");
  var fromSelect = document.getElementById("search-from");
  var toSelect = document.getElementById("search-to");
  var statusLine = document.getElementById("search-status");
  var suggestBox = document.getElementById("search-suggest");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  var pageTitle = document.title;

  var state = {
    q: "", sort: "", year: "", agency: "", from: "", to: "", shown: PAGE_SIZE, force: false,
    typing: false, // the query is being typed: its last word matches as a prefix
  };
  var MONTH = /^\d{4}-\d{2}$/;
  var FEW = 3; // fewer matches than this: look for a misspelled word
  var found = null; // {q, query, force, matches: [{ref, n, stems}], note} of the last search
  var facets = null; // decoded manifest facets
  var sequence = 0; // only the newest run may render
  var timer = null;
  var prefetchTimer = null;
  var latest = null; // {query, force, promise} of the last search started
  var typingEntry = false; // the current history entry belongs to the query being typed

  /* ---- small DOM helpers (text only) ---- */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function setStatus(text) {
    if (statusLine.textContent !== text) {
      statusLine.textContent = text;
    }
  }

  function plural(count, noun) {
    return count.toLocaleString("en") + " " + noun + (count === 1 ? "" : "s");
  }

  function formatMonth(month) {
    return MONTHS[Number(month.slice(5, 7)) - 1] + " " + month.slice(0, 4);
  }

  function formatDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) {
      return iso || "";
    }
    return MONTHS[Number(parts[2]) - 1] + " " + Number(parts[3]) + ", " + parts[1];
  }

  /*
   * Appends text to parent, wrapping in <mark> every word whose index term (lunr's
   * tokenizer, trimmer and stemmer, as the index was built) is in stems.
   */
  function appendMarked(parent, text, stems) {
    var lunr = global.lunr;
    var words = /[^\s-]+/g;
    var last = 0;
    var match;
    text = String(text || "");
    while (lunr && stems && (match = words.exec(text))) {
      var token = match[0];
      var lead = /^\W*/.exec(token)[0].length;
      var core = token.slice(lead).replace(/\W+$/, "");
      if (!core) {
        continue;
      }
      var stem = lunr.stemmer(new lunr.Token(core.toLowerCase(), {})).toString();
      if (stems[stem] === true) {
        var start = match.index + lead;
        if (start > last) {
          parent.appendChild(document.createTextNode(text.slice(last, start)));
        }
        parent.appendChild(element("mark", "", text.slice(start, start + core.length)));
        last = start + core.length;
      }
    }
    if (last < text.length) {
      parent.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  /* ---- URL and history ---- */

  function readUrl() {
    var params = new URLSearchParams(global.location.search);
    var saved = global.history.state;
    var sort = params.get("sort") || "";
    var from = params.get("from") || "";
    var to = params.get("to") || "";
    return {
      q: params.get("q") || "",
      sort: SORTS[sort] ? sort : "",
      year: params.get("year") || "",
      agency: params.get("agency") || "",
      from: MONTH.test(from) ? from : "",
      to: MONTH.test(to) ? to : "",
      shown: saved && saved.shown > 0 ? saved.shown : PAGE_SIZE,
      force: false,
      typing: false,
    };
  }

  function urlOf(s) {
    var params = new URLSearchParams();
    var pairs = [
      ["q", s.q.trim()], ["sort", s.sort], ["year", s.year], ["agency", s.agency],
      ["from", s.from], ["to", s.to],
    ];
    pairs.forEach(function (pair) {
      if (pair[1]) {
        params.set(pair[0], pair[1]);
      }
    });
    var text = params.toString();
    return text ? "?" + text : global.location.pathname;
  }

  /* push: a new history entry (filters, sort, a new query); else replace the current one. */
  function saveUrl(push) {
    var url = urlOf(state);
    var currentQuery = new URLSearchParams(global.location.search).get("q");
    var same = url === (global.location.search || global.location.pathname);
    try {
      if (push && !same && currentQuery) {
        global.history.pushState({ shown: state.shown }, "", url);
      } else {
        global.history.replaceState({ shown: state.shown }, "", url);
      }
    } catch (error) {
      // Some browsers refuse history changes on file:// pages: the page still works.
    }
    showTitle();
  }

  /* The query in the tab's title, and so in the history menu. */
  function showTitle() {
    var q = state.q.trim();
    document.title = q ? "\u201c" + q + "\u201d \u00b7 " + pageTitle : pageTitle;
  }

  /* ---- facets (month and agency of every ref, from the manifest) ---- */

  function decodeFacets(manifest) {
    var table = manifest && manifest.facets;
    if (!table) {
      return null;
    }
    var alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    var count = manifest.docCount;
    var width = table.agencyWidth;
    var agencyOf = new Uint16Array(count);
    var monthOf = new Uint16Array(count);
    var months = [];
    var monthNumber = Object.create(null);
    var runs = table.months || [];
    for (var r = 0; r < runs.length; r++) {
      var label = runs[r][0];
      if (monthNumber[label] === undefined) {
        monthNumber[label] = months.length;
        months.push(label);
      }
      var end = r + 1 < runs.length ? runs[r + 1][1] : count;
      for (var ref = runs[r][1]; ref < end; ref++) {
        monthOf[ref] = monthNumber[label];
      }
    }
    for (var n = 0; n < count; n++) {
      var value = 0;
      for (var d = 0; d < width; d++) {
        value = value * 64 + alphabet.indexOf(table.agencyOf.charAt(n * width + d));
      }
      agencyOf[n] = value;
    }
    return { months: months, agencies: table.agencies, monthOf: monthOf, agencyOf: agencyOf };
  }

  function fillSelect(select, allLabel, total, options, selected) {
    var focused = document.activeElement === select;
    clear(select);
    select.appendChild(new Option(allLabel + " (" + total.toLocaleString("en") + ")", ""));
    options.forEach(function (option) {
      select.appendChild(
        new Option(
          (option.text || option.label) + " (" + option.count.toLocaleString("en") + ")",
          option.label
        )
      );
    });
    select.value = selected;
    if (focused) {
      select.focus();
    }
  }

  /*
   * The matches the year, agency and From/To filters keep; unless quiet, the filters' options
   * get counts over every match, each under the other filters: per year and per agency, and
   * for each month what choosing it as From (or To) would leave.
   */
  function applyFilters(matches, quiet) {
    var yearCounts = Object.create(null);
    var agencyCounts = Object.create(null);
    var monthCounts = null;
    var byYear = 0;
    var byAgency = 0;
    var kept = [];
    facets = facets || decodeFacets(search.manifest());
    if (facets) {
      monthCounts = new Int32Array(facets.months.length);
    }
    for (var i = 0; i < matches.length; i++) {
      var n = matches[i].n;
      var month = facets ? facets.months[facets.monthOf[n]] : "";
      var year = month.slice(0, 4);
      var agency = facets ? facets.agencies[facets.agencyOf[n]] : "";
      var yearOk = !state.year || year === state.year;
      var agencyOk = !state.agency || agency === state.agency;
      var rangeOk = (!state.from || month >= state.from) && (!state.to || month <= state.to);
      if (agencyOk && rangeOk) {
        yearCounts[year] = (yearCounts[year] || 0) + 1;
        byAgency++;
      }
      if (yearOk && rangeOk) {
        agencyCounts[agency] = (agencyCounts[agency] || 0) + 1;
        byYear++;
      }
      if (yearOk && agencyOk && monthCounts) {
        monthCounts[facets.monthOf[n]]++;
      }
      if (yearOk && agencyOk && rangeOk) {
        kept.push(matches[i]);
      }
    }
    if (facets && !quiet) {
      var years = Object.keys(yearCounts)
        .concat(state.year && !yearCounts[state.year] ? [state.year] : [])
        .filter(Boolean)
        .sort()
        .reverse()
        .map(function (y) {
          return { label: y, count: yearCounts[y] || 0 };
        });
      var agencies = facets.agencies
        .filter(function (a) {
          return agencyCounts[a] || a === state.agency;
        })
        .map(function (a) {
          return { label: a, count: agencyCounts[a] || 0 };
        });
      fillSelect(yearSelect, "All years", byAgency, years, state.year);
      fillSelect(agencySelect, "All agencies", byYear, agencies, state.agency);
      fillRange(monthCounts);
    }
    return kept;
  }

  /* From and To: the months with matches (under year and agency), newest first. */
  function fillRange(monthCounts) {
    var months = facets.months
      .map(function (label, number) {
        return { label: label, count: monthCounts[number] };
      })
      .filter(function (month) {
        return month.label && (month.count || month.label === state.from || month.label === state.to);
      })
      .sort(function (a, b) {
        return a.label < b.label ? 1 : -1;
      });
    function within(low, high) {
      var total = 0;
      months.forEach(function (month) {
        if ((!low || month.label >= low) && (!high || month.label <= high)) {
          total += month.count;
        }
      });
      return total;
    }
    fillSelect(
      fromSelect,
      "Any month",
      within("", state.to),
      months.map(function (month) {
        return { label: month.label, text: formatMonth(month.label), count: within(month.label, state.to) };
      }),
      state.from
    );
    fillSelect(
      toSelect,
      "Any month",
      within(state.from, ""),
      months.map(function (month) {
        return { label: month.label, text: formatMonth(month.label), count: within(state.from, month.label) };
      }),
      state.to
    );
  }

  function sorted(matches) {
    if (!state.sort) {
      return matches;
    }
    var sign = state.sort === "newest" ? -1 : 1;
    // Refs are positions in (date, url) order, oldest first.
    return matches.slice().sort(function (a, b) {
      return sign * (a.n - b.n);
    });
  }

  /* ---- searching ---- */

  function isError(error, name) {
    return Boolean(error) && error.name === name;
  }

  /* The query's words without lunr syntax, for a query lunr cannot parse. */
  function plainWords(q) {
    return q.replace(/[+\-~^*:\\"]+/g, " ").replace(/\s+/g, " ").trim();
  }

  function toMatches(q, query, force, results, note) {
    return {
      q: q,
      query: query,
      force: force,
      note: note,
      missing: results.missing || 0,
      matches: results.map(function (result) {
        return { ref: result.ref, n: Number(result.ref), result: result, stems: null };
      }),
    };
  }

  /* The index terms a result matched (lunr's matchData, built on demand: shown results only). */
  function stemsOf(match) {
    if (!match.stems) {
      match.stems = Object.create(null);
      Object.keys(match.result.matchData.metadata).forEach(function (term) {
        match.stems[term] = true;
      });
    }
    return match.stems;
  }

  /*
   * The matches of q; while typing, with its last word as a prefix and an open phrase as its
   * words (ArchiveSearch.typingQuery; q itself when that would need too much of the index).
   */
  function findMatches(q, force, typing) {
    var query = (typing && search.typingQuery(q)) || q;
    if (found && found.query === query && found.force === force) {
      return Promise.resolve(found);
    }
    if (latest && latest.query === query && latest.force === force) {
      return latest.promise;
    }
    var options = force ? { maxShards: Infinity } : undefined;
    var promise = search.search(query, options).then(
      function (results) {
        return toMatches(q, query, force, results, null);
      },
      function (error) {
        if (query !== q && isError(error, "SearchTooBroadError")) {
          return search.search(q, options).then(function (results) {
            return toMatches(q, query, force, results, null);
          });
        }
        var plain = plainWords(q);
        if (!isError(error, "QueryParseError") || !plain || plain === q) {
          throw error;
        }
        return search.search(plain, options).then(function (results) {
          return toMatches(q, query, force, results, { plain: plain, message: error.message });
        });
      }
    );
    latest = { query: query, force: force, promise: promise };
    return promise;
  }

  /* The article's link, asking it to highlight the matched words and the query's phrases. */
  function resultHref(doc, stems) {
    var phrases = search.phrases(state.q);
    var inPhrases = Object.create(null);
    phrases.forEach(function (phrase) {
      phrase.terms.forEach(function (term) {
        inPhrases[term] = true;
      });
    });
    var parts = phrases.map(function (phrase) {
      return '"' + phrase.text.replace(/"/g, "") + '"';
    });
    Object.keys(stems).forEach(function (term) {
      if (!inPhrases[term]) {
        parts.push(term);
      }
    });
    return parts.length ? doc.href + "?highlight=" + encodeURIComponent(parts.join(" ")) : doc.href;
  }

  function resultItem(doc, match) {
    var stems = stemsOf(match);
    var item = element("li", "search-result");
    var heading = element("h2", "search-result-title");
    var link = element("a");
    link.href = resultHref(doc, stems);
    appendMarked(link, doc.title, stems);
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = element("p", "meta search-result-meta");
    if (doc.date) {
      var time = element("time", "", formatDate(doc.date));
      time.dateTime = doc.date;
      meta.appendChild(time);
    }
    if (doc.byline) {
      meta.appendChild(document.createTextNode((doc.date ? " \u00b7 " : "") + doc.byline));
    }
    item.appendChild(meta);
    if (doc.excerpt) {
      var excerpt = element("p", "search-result-excerpt");
      appendMarked(excerpt, doc.excerpt, stems);
      item.appendChild(excerpt);
    }
    return item;
  }

  function describeFilters() {
    var parts = [];
    if (state.year) {
      parts.push(" in " + state.year);
    }
    if (state.agency) {
      parts.push(" from " + state.agency);
    }
    if (state.from && state.to) {
      parts.push(" between " + formatMonth(state.from) + " and " + formatMonth(state.to));
    } else if (state.from) {
      parts.push(" since " + formatMonth(state.from));
    } else if (state.to) {
      parts.push(" until " + formatMonth(state.to));
    }
    return parts.join("");
  }

  function statusText(total, shown, q) {
    var text = plural(total, "article") + " for \u201c" + q + "\u201d" + describeFilters();
    if (state.sort) {
      text += ", " + SORTS[state.sort];
    }
    if (shown < total) {
      text += ". Showing " + shown.toLocaleString("en") + ".";
    } else {
      text += ".";
    }
    return text;
  }

  function suggestion(label, q, after, keepFilters) {
    var link = element("a", "", q);
    var filters = keepFilters ? state : { year: "", agency: "", from: "", to: "" };
    link.href = urlOf({
      q: q, sort: state.sort, year: filters.year, agency: filters.agency, from: filters.from, to: filters.to,
    });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = q;
      startSearch(true, {
        q: q, typing: false, year: filters.year, agency: filters.agency, from: filters.from, to: filters.to,
      });
    });
    var line = element("p", "", label + " ");
    line.appendChild(link);
    if (after) {
      line.appendChild(document.createTextNode(after));
    }
    return line;
  }

  /*
   * "Did you mean ...?" above the results when a word of q is in few articles and an indexed
   * word near it is in more (ArchiveSearch.suggest loads a few short term lists only).
   */
  function offerSuggestion(q, token) {
    search.suggest(q).then(
      function (offer) {
        if (token !== sequence || !offer.query) {
          return;
        }
        var line = suggestion("Did you mean", offer.query, "?", true);
        line.className = "search-did-you-mean";
        suggestBox.insertBefore(line, suggestBox.firstChild);
        suggestBox.hidden = false;
      },
      function () {
        // no suggestion, no harm
      }
    );
  }

  /* A broader query than q: no fields, no required or excluded terms, word beginnings. */
  function broaderQuery(q) {
    var lunr = global.lunr;
    var manifest = search.manifest();
    if (!lunr || !manifest) {
      return "";
    }
    var query = new lunr.Query(manifest.fields);
    try {
      new lunr.QueryParser(q, query).parse();
    } catch (error) {
      return "";
    }
    var terms = [];
    query.clauses.forEach(function (clause) {
      if (clause.presence === lunr.Query.presence.PROHIBITED) {
        return;
      }
      var term = clause.term;
      if (!clause.editDistance && term.indexOf("*") === -1 && term.length >= 3) {
        term += "*";
      }
      if (terms.indexOf(term) === -1) {
        terms.push(term);
      }
    });
    var broader = terms.join(" ");
    return broader !== q.trim().toLowerCase() ? broader : "";
  }

  function showNothing(result, q, token) {
    clear(suggestBox);
    var filtered = state.year || state.agency || state.from || state.to;
    if (filtered && result.matches.length) {
      var count = plural(result.matches.length, "article");
      var all = element("p", "", count + " match without the filters. ");
      var button = element("button", "", "Clear the filters");
      button.type = "button";
      button.addEventListener("click", function () {
        startSearch(true, { year: "", agency: "", from: "", to: "" });
      });
      all.appendChild(button);
      suggestBox.appendChild(all);
    } else {
      var broader = broaderQuery(result.note ? result.note.plain : q);
      if (broader) {
        suggestBox.appendChild(suggestion("Try a broader query:", broader));
      }
      suggestBox.appendChild(
        element(
          "p",
          "",
          "Words are matched whole: end one with * to match its beginning (arm* finds Armenia), " +
            "use fewer words, or drop + and - and field names such as title:."
        )
      );
    }
    suggestBox.hidden = false;
    setStatus("No articles match \u201c" + q + "\u201d" + describeFilters() + ".");
    if (result.matches.length < FEW || result.missing) {
      offerSuggestion(q, token);
    }
  }

  function showPage(result, token, append) {
    var kept = sorted(applyFilters(result.matches));
    var q = state.q.trim();
    controls.hidden = false;
    if (!kept.length) {
      clear(list);
      moreButton.hidden = true;
      showNothing(result, q, token);
      return Promise.resolve();
    }
    var from = append ? list.children.length : 0;
    var slice = kept.slice(from, Math.max(state.shown, from));
    var refs = slice.map(function (match) {
      return match.ref;
    });
    var complete = false;
    if (!append && refs.length > 1) {
      // the first result as soon as its docs chunk is in, the page when all are
      search.loadDocs(refs.slice(0, 1)).then(function (docs) {
        if (token === sequence && !complete) {
          clear(list);
          list.appendChild(resultItem(docs[0], slice[0]));
        }
      }, function () {
        // the whole page's load reports it
      });
    }
    return search.loadDocs(refs).then(function (docs) {
      complete = true;
      if (token !== sequence) {
        return;
      }
      var fragment = document.createDocumentFragment();
      docs.forEach(function (doc, i) {
        fragment.appendChild(resultItem(doc, slice[i]));
      });
      if (!append) {
        clear(list);
      }
      list.appendChild(fragment);
      clear(suggestBox);
      if (result.note) {
        suggestBox.appendChild(
          element(
            "p",
            "",
            "Lunr could not read this query (" + result.note.message + "), so these are " +
              "the results for its words: " + result.note.plain
          )
        );
      }
      suggestBox.hidden = !result.note;
      var shown = list.children.length;
      moreButton.hidden = shown >= kept.length;
      var next = Math.min(PAGE_SIZE, kept.length - shown);
      moreButton.textContent = "Show " + next + " more of " + kept.length.toLocaleString("en");
      setStatus(statusText(kept.length, shown, q));
      if (!append && (result.matches.length < FEW || result.missing)) {
        offerSuggestion(q, token);
      }
      if (append && list.children[from]) {
        list.children[from].querySelector("a").focus();
      }
    });
  }

  function showError(error, q) {
    clear(list);
    clear(suggestBox);
    moreButton.hidden = true;
    if (isError(error, "SearchTooBroadError")) {
      var plan = error.plan;
      var megabytes = (plan.estimatedBytes / 1048576).toFixed(1);
      setStatus(
        "\u201c" + q + "\u201d could match almost any word, so it needs " + plan.shards.length +
          " of the index's " + plan.shardCount + " parts (about " + megabytes + " MB)."
      );
      var line = element("p", "", "Make it more specific (arm* rather than a*), or ");
      var button = element("button", "", "search the whole index anyway");
      button.type = "button";
      button.addEventListener("click", function () {
        state.force = true;
        run(false);
      });
      line.appendChild(button);
      suggestBox.appendChild(line);
      suggestBox.hidden = false;
    } else {
      setStatus("The search index could not be loaded: " + (error && error.message) + ".");
      suggestBox.hidden = true;
    }
  }

  /* Search for state.q and show the first state.shown results (or the next page). */
  function run(append) {
    var token = ++sequence;
    var q = state.q.trim();
    list.setAttribute("aria-busy", "true");
    if (!q) {
      found = null;
      clear(list);
      clear(suggestBox);
      suggestBox.hidden = true;
      controls.hidden = true;
      moreButton.hidden = true;
      setStatus("");
      list.removeAttribute("aria-busy");
      return Promise.resolve();
    }
    return findMatches(q, state.force, state.typing)
      .then(function (result) {
        if (token !== sequence) {
          return undefined;
        }
        found = result;
        return showPage(result, token, append);
      })
      .catch(function (error) {
        if (token === sequence) {
          showError(error, q);
        }
      })
      .then(function () {
        if (token === sequence) {
          list.removeAttribute("aria-busy");
        }
      });
  }

  /* Apply changes to the state, record them in the URL (push: a new history entry), search. */
  function startSearch(push, changes) {
    global.clearTimeout(timer);
    global.clearTimeout(prefetchTimer);
    timer = null;
    changes = changes || {};
    Object.keys(changes).forEach(function (key) {
      state[key] = changes[key];
    });
    if (changes.q !== undefined && changes.q.trim() !== (found && found.q)) {
      state.force = false;
    }
    state.shown = PAGE_SIZE;
    saveUrl(push);
    return run(false);
  }

  function syncControls() {
    input.value = state.q;
    sortSelect.value = state.sort;
    // options for year, agency and months appear with the results; keep the choice meanwhile
    [
      [yearSelect, state.year], [agencySelect, state.agency], [fromSelect, state.from], [toSelect, state.to],
    ].forEach(function (pair) {
      var select = pair[0];
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === pair[1];
      });
      if (pair[1] && !known) {
        select.appendChild(new Option(pair[1], pair[1]));
      }
      select.value = pair[1];
    });
  }

  /* ---- events ---- */

  input.addEventListener("input", function () {
    global.clearTimeout(timer);
    global.clearTimeout(prefetchTimer);
    // Loading index parts and result metadata is most of the wait: start it at a shorter
    // pause than the debounce (fast typists do not pause that long between keys), and
    // show the results, update the URL and announce them once the debounce is over.
    prefetchTimer = global.setTimeout(function () {
      var q = input.value.trim();
      if (!q) {
        return;
      }
      findMatches(q, false, true)
        .then(function (result) {
          var first = sorted(applyFilters(result.matches, true)).slice(0, PAGE_SIZE);
          return first.length ? search.loadDocs(first.map(function (m) { return m.ref; })) : null;
        })
        .catch(function () {
          // the search proper reports it
        });
    }, PREFETCH_MS);
    timer = global.setTimeout(function () {
      var push = !typingEntry;
      typingEntry = true;
      startSearch(push, { q: input.value, typing: true });
    }, DEBOUNCE_MS);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var push = !typingEntry;
    typingEntry = false;
    startSearch(push, { q: input.value, typing: false });
  });

  input.addEventListener("blur", function () {
    typingEntry = false;
  });

  function onFilter(key, select) {
    select.addEventListener("change", function () {
      var changes = {};
      changes[key] = select.value;
      typingEntry = false;
      startSearch(true, changes);
    });
  }
  onFilter("sort", sortSelect);
  onFilter("year", yearSelect);
  onFilter("agency", agencySelect);
  onFilter("from", fromSelect);
  onFilter("to", toSelect);

  moreButton.addEventListener("click", function () {
    state.shown = list.children.length + PAGE_SIZE;
    saveUrl(false);
    run(true);
  });

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll(".search-result-title a"));
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && list.firstElementChild) {
      event.preventDefault();
      resultLinks()[0].focus();
    }
  });

  list.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") {
      return;
    }
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at === -1) {
      return;
    }
    event.preventDefault();
    if (event.key === "ArrowDown") {
      (links[at + 1] || (moreButton.hidden ? links[at] : moreButton)).focus();
    } else if (event.key === "ArrowUp" && at > 0) {
      links[at - 1].focus();
    } else {
      input.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  global.addEventListener("popstate", function () {
    global.clearTimeout(timer);
    global.clearTimeout(prefetchTimer);
    typingEntry = false;
    state = readUrl();
    syncControls();
    showTitle();
    run(false);
  });

  /* ---- start ---- */

  app.hidden = false;
  document.getElementById("search-unavailable").hidden = true;
  state = readUrl();
  syncControls();
  if (state.q.trim()) {
    showTitle();
    run(false);
  } else {
    // load lunr.js and the manifest now: the first query then needs two rounds, not three
    search.ready().catch(function () {
      // reported by the first search
    });
    input.focus();
  }
})(window);
