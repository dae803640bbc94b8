/*
 * Highlights on an article page the words a search matched, when the page was opened
 * from a search result: search-page.js links to "article.html?highlight=<terms>" with the
 * index terms lunr matched in that article (stemmed, e.g. "volunt karabakh") and the
 * query's quoted phrases as typed ('"foreign ministry" volunt').
 *
 * Each word of the title and body text is put through lunr's own tokenizer rules and
 * index pipeline (trimmer, stop words, stemmer; lunr.js is loaded from the search folder
 * only when there is something to highlight; it is in the cache after the search page).
 * A phrase is marked where its words stand next to each other in order (a stop word of
 * the phrase matching any stop word, as the search does), within one paragraph; a single
 * term wherever it stands. Text nodes only, never HTML; works from file:// (a query
 * string on a file URL is kept). Defines no global.
 *
 *   <script src="theme/js/highlight.js" data-search-root="search/" defer></script>
 */
(function (global) {
  "use strict";

  var document = global.document;
  var script = document.currentScript;
  var MAX_TERMS = 64;
  var SKIP = /^(SCRIPT|STYLE|MARK|TEXTAREA|NOSCRIPT)$/;

  var raw = new URLSearchParams(global.location.search).get("highlight");
  if (!raw || !script) {
    return;
  }
  var stems = Object.create(null);
  var phraseTexts = [];
  raw
    .replace(/"([^"]*)("|$)/g, function (all, text) {
      if (text.trim()) {
        phraseTexts.push(text);
      }
      return " ";
    })
    .toLowerCase()
    .split(/\s+/)
    .slice(0, MAX_TERMS)
    .forEach(function (term) {
      if (term) {
        stems[term] = true;
      }
    });
  var BLOCK = /^(P|LI|H[1-6]|BLOCKQUOTE|FIGCAPTION|TD|TH|DD|DT|DIV|ARTICLE|SECTION|HEADER)$/;
  var root = script.getAttribute("data-search-root") || "search/";

  function withLunr(callback) {
    if (global.lunr) {
      callback(global.lunr);
      return;
    }
    var loader = document.createElement("script");
    loader.src = root + "lunr.js";
    loader.onload = function () {
      if (global.lunr) {
        callback(global.lunr);
      }
    };
    (document.head || document.documentElement).appendChild(loader);
  }

  // lunr.py's trimmer, which built the index (as in search-index.js): a word's one run of
  // letters, digits and _, a word of other shapes left as it is.
  var INDEX_TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;

  function indexTrimmer(token) {
    return token.update(function (text) {
      var match = INDEX_TRIM.exec(text);
      return match ? match[1] : text;
    });
  }

  /* The index term of a word (lowercased, trimmed, stop words dropped, stemmed), or null. */
  function termOf(lunr, pipeline, word) {
    var out = pipeline.run([new lunr.Token(word.toLowerCase(), {})]);
    return out.length ? out[0].toString() : null;
  }

  /* A phrase as index terms (null: a stop word), leading and trailing stop words left out. */
  function phraseTerms(lunr, pipeline, text) {
    var terms = text
      .toLowerCase()
      .split(/[\s\-]+/)
      .filter(Boolean)
      .map(function (word) {
        return termOf(lunr, pipeline, word);
      });
    while (terms.length && terms[0] === null) {
      terms.shift();
    }
    while (terms.length && terms[terms.length - 1] === null) {
      terms.pop();
    }
    return terms;
  }

  /* The words of the text nodes under container: [{node, start, end, term}], null between blocks. */
  function wordsOf(lunr, pipeline, container) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        for (; parent && parent !== container; parent = parent.parentNode) {
          if (SKIP.test(parent.nodeName)) {
            return NodeFilter.FILTER_REJECT;
          }
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var words = [];
    var block = null;
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var parent = node.parentNode;
      while (parent !== container && !BLOCK.test(parent.nodeName)) {
        parent = parent.parentNode;
      }
      if (parent !== block) {
        words.push(null);
        block = parent;
      }
      var pattern = /[^\s-]+/g;
      var match;
      while ((match = pattern.exec(node.nodeValue))) {
        var token = match[0];
        var lead = /^\W*/.exec(token)[0].length;
        var core = token.slice(lead).replace(/\W+$/, "");
        words.push({
          node: node,
          start: core ? match.index + lead : match.index,
          end: core ? match.index + lead + core.length : match.index + token.length,
          term: termOf(lunr, pipeline, token), // the whole token, as the index saw it
          stem: core ? lunr.stemmer(new lunr.Token(core.toLowerCase(), {})).toString() : "",
        });
      }
    }
    return words;
  }

  /* Spans to mark, per text node: the phrases' words where they stand, then single terms. */
  function spansOf(words, phrases) {
    var marked = new Uint8Array(words.length);
    var spans = new Map();
    function add(word, start) {
      var list = spans.get(word.node) || [];
      var last = list[list.length - 1];
      if (start !== undefined && last && last[1] === start) {
        last[1] = word.end; // the next word of the same phrase in the same text: one mark
      } else {
        list.push([word.start, word.end]);
      }
      spans.set(word.node, list);
    }
    phrases.forEach(function (phrase) {
      for (var i = 0; i + phrase.length <= words.length; i++) {
        var k = 0;
        while (k < phrase.length && words[i + k] && words[i + k].term === phrase[k]) {
          k++;
        }
        if (k === phrase.length) {
          for (var w = i; w < i + k; w++) {
            if (!marked[w]) {
              marked[w] = 1;
              var previous = words[w - 1];
              add(words[w], w > i && previous.node === words[w].node ? previous.end : undefined);
            }
          }
        }
      }
    });
    words.forEach(function (word, i) {
      if (word && !marked[i] && word.stem && stems[word.stem] === true) {
        add(word);
      }
    });
    return spans;
  }

  /* Replaces a text node by its text with <mark>s over spans (sorted, apart). */
  function markNode(node, spans) {
    var text = node.nodeValue;
    var fragment = document.createDocumentFragment();
    var last = 0;
    spans
      .sort(function (a, b) {
        return a[0] - b[0];
      })
      .forEach(function (span) {
        if (span[0] < last) {
          return;
        }
        if (span[0] > last) {
          fragment.appendChild(document.createTextNode(text.slice(last, span[0])));
        }
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = text.slice(span[0], span[1]);
        fragment.appendChild(mark);
        last = span[1];
      });
    if (last < text.length) {
      fragment.appendChild(document.createTextNode(text.slice(last)));
    }
    node.parentNode.replaceChild(fragment, node);
  }

  function highlight(lunr, pipeline, container) {
    var phrases = phraseTexts
      .map(function (text) {
        return phraseTerms(lunr, pipeline, text);
      })
      .filter(function (terms) {
        return terms.length;
      });
    spansOf(wordsOf(lunr, pipeline, container), phrases).forEach(function (spans, node) {
      markNode(node, spans);
    });
  }

  function removeHighlights(note) {
    Array.prototype.forEach.call(document.querySelectorAll("mark.search-hit"), function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    note.parentNode.removeChild(note);
    try {
      var params = new URLSearchParams(global.location.search);
      params.delete("highlight");
      var rest = params.toString();
      var url = (rest ? "?" + rest : global.location.pathname) + global.location.hash;
      global.history.replaceState(global.history.state, "", url);
    } catch (error) {
      // history is optional (some browsers refuse it on file://)
    }
  }

  function addNote(body, count) {
    var note = document.createElement("p");
    note.className = "meta search-hit-note";
    var words = count + (count === 1 ? " place" : " places");
    note.appendChild(document.createTextNode(words + " matching your search highlighted. "));
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Remove highlighting";
    button.addEventListener("click", function () {
      removeHighlights(note);
    });
    note.appendChild(button);
    body.parentNode.insertBefore(note, body);
  }

  function start() {
    var targets = document.querySelectorAll(".article-header h1, .article-body");
    if (!targets.length) {
      return;
    }
    withLunr(function (lunr) {
      var pipeline = new lunr.Pipeline();
      pipeline.add(indexTrimmer, lunr.stopWordFilter, lunr.stemmer);
      Array.prototype.forEach.call(targets, function (target) {
        highlight(lunr, pipeline, target);
      });
      var count = document.querySelectorAll("mark.search-hit").length;
      var body = document.querySelector(".article-body");
      if (count && body) {
        addNote(body, count);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(window);
