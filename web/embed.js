/*
 * Tellerrand: the embeddable search box (see docs/serve.md).  The host page
 * has a plain form that works without this script:
 *
 *   <form action="https://suche.example/" method="get" role="search" data-tellerrand>
 *     <label for="tr-q">Im Netzwerk-Archiv suchen</label>
 *     <input id="tr-q" name="q" type="search">
 *     <button type="submit">Suchen</button>
 *   </form>
 *   <script src="https://suche.example/static/embed.js" defer></script>
 *
 * The script adds the first hits below the box while the user types, read
 * from /api/search (the server must list the page's origin with
 * --allow-origin).  It writes text only through textContent, never HTML.
 */
(function () {
	'use strict';

	var me = document.currentScript;
	if (!me || !window.fetch)
		return;
	var base = new URL('/', me.src);
	var forms = document.querySelectorAll('form[data-tellerrand]');

	function germanDate(iso) {
		var p = (iso || '').split('-');
		if (p.length === 3) return p[2] + '.' + p[1] + '.' + p[0];
		if (p.length === 2) return p[1] + '.' + p[0];
		return p[0] || '';
	}

	Array.prototype.forEach.call(forms, function (form, n) {
		var input = form.querySelector('input[name="q"]');
		if (!input)
			return;
		var status = document.createElement('p');
		var list = document.createElement('ul');
		status.className = 'tellerrand-status';
		status.setAttribute('role', 'status');
		list.className = 'tellerrand-treffer';
		list.id = 'tellerrand-treffer-' + n;
		list.hidden = true;
		list.style.listStyle = 'none';
		list.style.paddingLeft = '0';
		input.setAttribute('aria-controls', list.id);
		form.appendChild(status);
		form.appendChild(list);

		var timer = 0, seq = 0;

		function show(data, q) {
			list.textContent = '';
			data.hits.forEach(function (h) {
				var li = document.createElement('li');
				var a = document.createElement('a');
				var meta = document.createElement('span');
				a.href = new URL(h.url, base).href;
				a.textContent = h.title;
				meta.textContent = ' – ' + [germanDate(h.date), h.type_label].filter(Boolean).join(' · ');
				li.style.margin = '0.3em 0';
				li.appendChild(a);
				li.appendChild(meta);
				list.appendChild(li);
			});
			var more = document.createElement('li');
			var all = document.createElement('a');
			all.href = base.href + '?q=' + encodeURIComponent(q);
			all.textContent = data.total === 1 ? 'Den Treffer im Archiv zeigen' : 'Alle ' + data.total + ' Treffer im Archiv zeigen';
			more.appendChild(all);
			if (data.total)
				list.appendChild(more);
			status.textContent = data.total ? data.total + ' Treffer' : 'Keine Treffer';
			list.hidden = !data.total;
		}

		input.addEventListener('input', function () {
			var q = input.value.trim();
			clearTimeout(timer);
			if (q.length < 3) {
				seq++;
				list.hidden = true;
				list.textContent = '';
				status.textContent = '';
				return;
			}
			timer = setTimeout(function () {
				var mine = ++seq;
				var url = new URL('/api/search', base);
				url.searchParams.set('q', q);
				url.searchParams.set('anzahl', '5');
				fetch(url.href, { credentials: 'omit' })
					.then(function (r) { return r.ok ? r.json() : null; })
					.then(function (data) {
						if (mine === seq && data && data.hits)
							show(data, q);
					})
					.catch(function () { /* the form still works */ });
			}, 250);
		});
	});
})();
