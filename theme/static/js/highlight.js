/*
 * Highlights on an article page the words a search matched, when the page was opened
 * from a search result: search-page.js links to "article.html?highlight=<terms>" with the
 * index terms lunr matched in that article (stemmed, e.g. "volunt karabakh").
 *
 * Each word of the title and body text is put through lunr's own tokenizer rules,
 * trimmer and stemmer (lunr.js is loaded from the search folder only when there is
 * something to highlight; it is in the cache after the search page) and wrapped in
 * <mark> when its term was matched. Text nodes only, never HTML; works from file://
 * (a query string on a file URL is kept). Defines no global.
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
  raw
    .toLowerCase()
    .split(/\s+/)
    .slice(0, MAX_TERMS)
    .forEach(function (term) {
      if (term) {
        stems[term] = true;
      }
    });
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

  /* The index term of a word already trimmed of punctuation: lowercased, stemmed as lunr does. */
  function stem(lunr, word) {
    return lunr.stemmer(new lunr.Token(word.toLowerCase(), {})).toString();
  }

  /* The text of node as text nodes and <mark>s, or null when no word matched. */
  function marked(lunr, text) {
    var words = /[^\s-]+/g;
    var fragment = null;
    var last = 0;
    var match;
    while ((match = words.exec(text))) {
      var token = match[0];
      var lead = /^\W*/.exec(token)[0].length;
      var core = token.slice(lead).replace(/\W+$/, "");
      if (!core || stems[stem(lunr, core)] !== true) {
        continue;
      }
      fragment = fragment || document.createDocumentFragment();
      var start = match.index + lead;
      if (start > last) {
        fragment.appendChild(document.createTextNode(text.slice(last, start)));
      }
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(start, start + core.length);
      fragment.appendChild(mark);
      last = start + core.length;
    }
    if (fragment && last < text.length) {
      fragment.appendChild(document.createTextNode(text.slice(last)));
    }
    return fragment;
  }

  function highlight(lunr, container) {
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
    var nodes = [];
    while (walker.nextNode()) {
      nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      var fragment = marked(lunr, node.nodeValue);
      if (fragment) {
        node.parentNode.replaceChild(fragment, node);
      }
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
    var words = count + (count === 1 ? " word" : " words");
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
      Array.prototype.forEach.call(targets, function (target) {
        highlight(lunr, target);
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
