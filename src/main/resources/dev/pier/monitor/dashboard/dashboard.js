// Pier live dashboard: loads the kept history, then follows the server-sent event stream (read with fetch so
// that a bearer token can be sent as a header, which EventSource cannot do). Charts are drawn with uPlot.
(() => {
  'use strict';
  const API = '/dashboard/api/';
  const PALETTE = ['#2f6fdf', '#e8743b', '#19a979', '#945ecf', '#ed4a7b', '#13a4b4', '#b5a300', '#6c8893'];
  const BATCH_WINDOW_S = 60;
  const st = { frames: [], interval: 1, keep: 300, selected: null, token: sessionStorage.getItem('pier-token'),
               charts: {}, keys: '', abort: null, lastShown: {} };

  const $ = (sel) => document.querySelector(sel);
  const key = (m) => m.model + '/' + m.version;
  const dash = '—';
  const num = (v, d) => v == null ? dash : v.toFixed(d);
  const ms = (v) => v == null ? dash : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
  const pct = (v) => v == null ? dash : (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + ' %';
  const rate = (v) => v == null ? dash : v >= 100 ? v.toFixed(0) : v.toFixed(1);
  const count = (v) => v == null ? dash : Math.round(v).toLocaleString('en');

  function headers() {
    return st.token ? { Authorization: 'Bearer ' + st.token } : {};
  }

  function status(text, cls) {
    const el = $('#status');
    el.textContent = text;
    el.className = 'status ' + cls;
  }

  async function connect() {
    if (st.abort) st.abort.abort();
    st.abort = new AbortController();
    try {
      const res = await fetch(API + 'snapshot', { headers: headers(), cache: 'no-store', signal: st.abort.signal });
      if (res.status === 401) return askToken();
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const body = await res.json();
      st.interval = body.intervalSeconds;
      st.keep = Math.max(1, Math.round(body.historySeconds / body.intervalSeconds));
      st.frames = body.snapshots;
      render();
      await follow(st.abort.signal);
      status('stream ended; reconnecting…', 'reconnecting');
    } catch (e) {
      if (e.name === 'AbortError') return;
      status('disconnected (' + e.message + '); retrying…', 'error');
    }
    setTimeout(connect, 2000);
  }

  // Reads text/event-stream: events are separated by a blank line; each 'data:' line holds one JSON snapshot.
  async function follow(signal) {
    const res = await fetch(API + 'events', { headers: headers(), cache: 'no-store', signal });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    status('live', 'live');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) onSnapshot(JSON.parse(data));
      }
    }
  }

  function onSnapshot(s) {
    const last = st.frames[st.frames.length - 1];
    if (last && last.time >= s.time) return;   // the stream starts with the newest frame, which we may have
    st.frames.push(s);
    if (st.frames.length > st.keep) st.frames.splice(0, st.frames.length - st.keep);
    status('live · ' + new Date(s.time).toLocaleTimeString('en-GB'), 'live');
    render();
  }

  function askToken() {
    status('needs a token', 'error');
    const form = $('#auth');
    form.hidden = false;
    form.onsubmit = (e) => {
      e.preventDefault();
      st.token = $('#token').value.trim();
      sessionStorage.setItem('pier-token', st.token);
      form.hidden = true;
      connect();
    };
  }

  // ---------------------------------------------------------------- table and tiles
  function render() {
    const latest = st.frames[st.frames.length - 1];
    if (!latest) return;
    const rows = latest.models;
    if (!st.selected || !rows.some((m) => key(m) === st.selected)) st.selected = rows.length ? key(rows[0]) : null;
    renderTiles(rows);
    renderTable(rows);
    renderCharts(rows);
  }

  function renderTiles(rows) {
    const ready = rows.filter((m) => m.state === 'AVAILABLE').length;
    const rps = rows.reduce((a, m) => a + m.requestsPerSecond, 0);
    const failed = rows.reduce((a, m) => a + (m.errorRate == null ? 0 : m.errorRate * m.requestsPerSecond), 0);
    const p99s = rows.map((m) => m.p99Ms).filter((v) => v != null);
    $('#t-ready').textContent = ready + ' / ' + rows.length;
    $('#t-rps').textContent = rate(rps);
    $('#t-errors').textContent = rps > 0 ? pct(failed / rps) : dash;
    $('#t-errors').className = 'value' + (failed > 0 ? ' bad' : '');
    $('#t-pending').textContent = count(rows.reduce((a, m) => a + m.pending, 0));
    $('#t-p99').textContent = p99s.length ? ms(Math.max(...p99s)) + ' ms' : dash;
  }

  function cells(m) {
    const q = m.quality || {};
    const scores = Object.values(q.driftScores || {});
    const drift = scores.length ? Math.max(...scores) : null;
    const driftText = q.driftDetected ? 'DRIFT ' + num(drift, 2) : drift != null ? num(drift, 2) : q.driftDetected === false ? 'none' : dash;
    return {
      rps: rate(m.requestsPerSecond), ips: rate(m.inferencesPerSecond), p50: ms(m.p50Ms), p95: ms(m.p95Ms), p99: ms(m.p99Ms),
      errors: pct(m.errorRate), pending: count(m.pending), batch: num(m.meanBatch, 2), drift: driftText,
      accuracy: pct(q.accuracy), f1: num(q.f1, 3), feedback: count(q.feedback), total: count(m.totalRequests),
    };
  }

  function renderTable(rows) {
    const body = $('#models tbody');
    if (!rows.length) {
      body.innerHTML = '<tr class="empty"><td colspan="16">no models</td></tr>';
      return;
    }
    const order = rows.map(key).join('|');
    if (body.dataset.order !== order) {
      body.innerHTML = '';
      rows.forEach((m, i) => {
        const tr = document.createElement('tr');
        tr.dataset.key = key(m);
        tr.dataset.model = m.model;
        tr.dataset.version = String(m.version);
        tr.innerHTML = '<td class="l model"><i></i></td><td class="version"></td><td class="l"><span class="badge"></span></td>'
          + ['rps', 'ips', 'p50', 'p95', 'p99', 'errors', 'pending', 'batch', 'drift', 'accuracy', 'f1', 'feedback', 'total']
            .map((f) => '<td data-field="' + f + '"></td>').join('');
        tr.querySelector('.model').append(m.model);
        tr.querySelector('.model i').style.background = PALETTE[i % PALETTE.length];
        tr.querySelector('.version').textContent = m.version;
        tr.onclick = () => { st.selected = key(m); render(); };
        body.append(tr);
      });
      body.dataset.order = order;
    }
    rows.forEach((m) => {
      const tr = body.querySelector('tr[data-key="' + CSS.escape(key(m)) + '"]');
      tr.classList.toggle('selected', key(m) === st.selected);
      const badge = tr.querySelector('.badge');
      badge.textContent = m.state;
      badge.className = 'badge ' + m.state;
      badge.title = m.error || '';
      const c = cells(m);
      for (const [f, text] of Object.entries(c)) {
        const td = tr.querySelector('td[data-field="' + f + '"]');
        if (td.textContent !== text) {
          td.textContent = text;
          td.classList.remove('flash');
          void td.offsetWidth;   // restart the highlight animation
          td.classList.add('flash');
        }
      }
      tr.querySelector('td[data-field="errors"]').classList.toggle('bad', (m.errorRate || 0) > 0);
      tr.querySelector('td[data-field="drift"]').classList.toggle('bad', !!(m.quality && m.quality.driftDetected));
    });
  }

  // ---------------------------------------------------------------- charts
  function width(el) {
    return Math.max(300, el.clientWidth);
  }

  function chart(id, opts, data) {
    const el = document.getElementById(id);
    const old = st.charts[id];
    if (old && old.signature === opts.signature) {
      old.plot.setData(data);
      return;
    }
    if (old) old.plot.destroy();
    opts.width = width(el);
    opts.height = 220;
    opts.legend = { live: false };
    st.charts[id] = { plot: new uPlot(opts, data, el), signature: opts.signature };
  }

  function line(label, stroke) {
    return { label, stroke, width: 2, points: { show: false } };
  }

  function times() {
    return st.frames.map((f) => f.time / 1000);
  }

  function seriesOf(k, pick) {
    return st.frames.map((f) => {
      const m = f.models.find((x) => key(x) === k);
      return m ? pick(m) : null;
    });
  }

  function renderCharts(rows) {
    const keys = rows.map(key);
    document.querySelectorAll('.sel').forEach((el) => { el.textContent = st.selected || dash; });
    chart('c-throughput', {
      signature: keys.join('|'),
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      series: [{}].concat(keys.map((k, i) => line(k, PALETTE[i % PALETTE.length]))),
      axes: [{}, { label: 'req/s', size: 60 }],
    }, [times()].concat(keys.map((k) => seriesOf(k, (m) => m.requestsPerSecond))));

    const sel = st.selected;
    chart('c-latency', {
      signature: 'latency',
      series: [{}, line('p50', '#19a979'), line('p95', '#e8a33b'), line('p99', '#d64545')],
      axes: [{}, { label: 'ms', size: 60 }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, (max || 1) * 1.1)] } },
    }, [times(), seriesOf(sel, (m) => m.p50Ms), seriesOf(sel, (m) => m.p95Ms), seriesOf(sel, (m) => m.p99Ms)]);

    chart('c-queue', {
      signature: 'queue',
      series: [{}, Object.assign(line('queued or running', '#2f6fdf'), { fill: 'rgba(47,111,223,.08)' }),
               Object.assign(line('error %', '#d64545'), { scale: '%' })],
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max * 1.2)] }, '%': { range: [0, 100] } },
      axes: [{}, { label: 'requests', size: 60 }, { scale: '%', side: 1, label: 'error %', grid: { show: false } }],
    }, [times(), seriesOf(sel, (m) => m.pending), seriesOf(sel, (m) => m.errorRate == null ? null : m.errorRate * 100)]);

    renderBatch(sel);
  }

  function renderBatch(sel) {
    const recent = st.frames.slice(-Math.max(1, Math.round(BATCH_WINDOW_S / st.interval)));
    const sums = new Map();
    recent.forEach((f) => {
      const m = f.models.find((x) => key(x) === sel);
      if (m) Object.entries(m.batchSizes).forEach(([label, n]) => sums.set(label, (sums.get(label) || 0) + n));
    });
    const labels = [...sums.keys()];
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 48] }) : undefined;
    chart('c-batch', {
      signature: 'batch:' + labels.join(','),
      scales: { x: { time: false, range: [-0.6, Math.max(0, labels.length - 0.4)] },
                y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      series: [{ label: 'batch size' }, { label: 'executions', stroke: '#945ecf', fill: 'rgba(148,94,207,.55)', paths: bars,
                 points: { show: false } }],
      axes: [{ splits: () => xs, values: (u, splits) => splits.map((i) => labels[i] || ''), label: 'rows per execution' },
             { label: 'executions', size: 60 }],
    }, [xs, labels.map((l) => sums.get(l))]);
  }

  window.addEventListener('resize', () => {
    for (const [id, c] of Object.entries(st.charts)) c.plot.setSize({ width: width(document.getElementById(id)), height: 220 });
  });

  connect();
})();
