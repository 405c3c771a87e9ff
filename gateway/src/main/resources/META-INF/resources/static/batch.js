// Live progress of a batch page. The page works without it (it refreshes itself); this only makes it live.
(function () {
  const panel = document.getElementById('progress');
  if (!panel || panel.dataset.finished === 'true' || !window.EventSource) {
    return;
  }
  const events = new EventSource('/api/batches/' + encodeURIComponent(panel.dataset.batch) + '/events');
  const set = (id, value) => { const el = document.getElementById(id); if (el) { el.textContent = value; } };
  events.onmessage = (message) => {
    const p = JSON.parse(message.data);
    document.getElementById('bar').value = p.percent;
    set('percent', p.percent + '%');
    set('generated', p.generated);
    set('failed', p.failed);
    set('cancelled', p.cancelled);
    set('queued', p.queued);
    set('embedded', p.embedded);
    if (p.finished) {
      events.close();
      panel.dataset.finished = 'true';
      window.location.reload();
    }
  };
  events.onerror = () => {
    // The stream ends when the batch is over; reload once to show the final state and its images.
    events.close();
    setTimeout(() => window.location.reload(), 1000);
  };
})();
