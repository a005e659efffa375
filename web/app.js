/*
 * Tellerrand search page: optional enhancements.  Without this file the page
 * works the same through plain links and the form; with it, filter, timeline,
 * sorting and paging links update the page in place, "/" jumps to the search
 * box, and the filters start folded on small screens.
 */
(function () {
	'use strict';

	var narrow = window.matchMedia('(max-width: 49.99em)');

	function foldFilters() {
		var box = document.querySelector('details.filterbox');
		if (box && narrow.matches)
			box.open = false;
	}

	/* "/" focuses the search box, as on many search sites, unless the user is typing. */
	document.addEventListener('keydown', function (e) {
		var t = document.activeElement && document.activeElement.tagName;
		if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t))
			return;
		var q = document.getElementById('q');
		if (q) {
			e.preventDefault();
			q.focus();
			q.select();
		}
	});

	/*
	 * Replaces <main> with the one of @url's page.  Focus goes back to the
	 * filter value that was clicked (data-facet), else to the results, so
	 * keyboard and screen reader users stay oriented; the result count is a
	 * status region and is announced.
	 */
	function load(url, push, facet) {
		var main = document.querySelector('main');
		if (main)
			main.setAttribute('aria-busy', 'true');
		fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
			.then(function (r) { return r.text(); })
			.then(function (text) {
				var doc = new DOMParser().parseFromString(text, 'text/html');
				var fresh = doc.querySelector('main');
				if (!fresh || !main) {
					window.location.href = url;
					return;
				}
				main.replaceWith(document.adoptNode(fresh));
				document.title = doc.title;
				if (push)
					history.pushState(null, '', url);
				var target = null;
				if (facet) {
					var links = document.querySelectorAll('a[data-facet]');
					for (var i = 0; i < links.length; i++)
						if (links[i].getAttribute('data-facet') === facet)
							target = links[i];
				}
				if (!target)
					target = document.getElementById('ergebnisse');
				if (target)
					target.focus({ preventScroll: !!facet });
				if (!facet && target && target.scrollIntoView)
					target.scrollIntoView({ block: 'start' });
			})
			.catch(function () { window.location.href = url; });
	}

	document.addEventListener('click', function (e) {
		if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey)
			return;
		var a = e.target.closest ? e.target.closest('a[href]') : null;
		if (!a || !a.closest('.filters, .chips, .timeline, nav.pages, .sort, .dym, .nohits'))
			return;
		var url = new URL(a.getAttribute('href'), window.location.href);
		if (url.origin !== window.location.origin || url.pathname !== '/')
			return;
		e.preventDefault();
		load(url.href, true, a.getAttribute('data-facet'));
	});

	window.addEventListener('popstate', function () {
		load(window.location.href, false, null);
	});

	foldFilters();
})();
