/* global document, window, setTimeout, clearTimeout */
/* Report filters. Only toggles `hidden`/`open` and reads textContent: it never writes markup, so no report data can
   become code. Works offline; loads nothing. */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var fields = form.elements;
  var indexRows = {};
  Array.prototype.forEach.call(document.querySelectorAll('tr[data-control]'), function (tr) {
    indexRows[tr.getAttribute('data-control')] = tr;
  });
  var items = Array.prototype.map.call(document.querySelectorAll('article.control'), function (el) {
    return {
      el: el,
      rows: Array.prototype.slice.call(el.querySelectorAll('tr[data-st]')),
      details: el.querySelector('details.results'),
      head: null,
      texts: null
    };
  });

  function listHas(list, value) {
    return (' ' + (list || '') + ' ').indexOf(' ' + value + ' ') >= 0;
  }

  function apply() {
    var status = fields.status.value;
    var severity = fields.severity.value;
    var framework = fields.framework.value;
    var query = fields.q.value.trim().toLowerCase();
    var narrowRows = !!(status || query);
    var shownControls = 0;
    var shownRows = 0;
    items.forEach(function (item) {
      var data = item.el.dataset;
      var eligible = (!severity || data.sev === severity) && (!framework || listHas(data.fw, framework)) && (!status || listHas(data.sts, status));
      var headMatch = true;
      if (eligible && query) {
        if (item.head === null) item.head = item.el.querySelector('.control-head').textContent.toLowerCase();
        headMatch = item.head.indexOf(query) >= 0;
      }
      var rowsShown = 0;
      for (var i = 0; i < item.rows.length; i++) {
        var row = item.rows[i];
        var visible = eligible && (!status || row.getAttribute('data-st') === status);
        if (visible && query && !headMatch) {
          if (item.texts === null) item.texts = item.rows.map(function (r) { return r.textContent.toLowerCase(); });
          visible = item.texts[i].indexOf(query) >= 0;
        }
        if (row.hidden === visible) row.hidden = !visible;
        if (visible) rowsShown++;
      }
      var controlVisible = eligible && (headMatch || rowsShown > 0);
      item.el.hidden = !controlVisible;
      var indexRow = indexRows[data.id];
      if (indexRow) indexRow.hidden = !controlVisible;
      if (item.details) item.details.open = narrowRows ? rowsShown > 0 : item.details.getAttribute('data-open') === '1';
      if (controlVisible) shownControls++;
      shownRows += rowsShown;
    });
    var active = !!(status || severity || framework || query);
    fields.shown.value = active ? shownControls + ' of ' + items.length + ' controls and ' + shownRows + ' resource results match' : '';
  }

  var timer = 0;
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(apply, delay);
  }
  form.addEventListener('change', function () { schedule(0); });
  form.addEventListener('input', function (event) { schedule(event.target === fields.q ? 200 : 0); });
  form.addEventListener('reset', function () { schedule(0); });
  form.addEventListener('submit', function (event) { event.preventDefault(); schedule(0); });
  if (fields.status.value || fields.severity.value || fields.framework.value || fields.q.value) apply();

  // A printed report shows every result: open all collapsed tables while printing, then restore.
  var reopened = [];
  window.addEventListener('beforeprint', function () {
    reopened = items.filter(function (item) { return item.details && !item.details.open; });
    reopened.forEach(function (item) { item.details.open = true; });
  });
  window.addEventListener('afterprint', function () {
    reopened.forEach(function (item) { item.details.open = false; });
    reopened = [];
  });
})();
