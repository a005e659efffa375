/*
 * The header deadline of `tellerrand serve`: a connection must deliver a
 * request's line and headers within --header-timeout seconds of opening
 * (or of its previous response), or it is closed.  libmicrohttpd 0.9.75
 * only has an idle timeout, which a client sending one byte every few
 * seconds never reaches ("slowloris"): a few hundred such connections
 * would hold every slot for ever.
 *
 * Every connection is registered when libmicrohttpd opens it and removed
 * when it closes it; a watchdog thread looks once a second for those past
 * their deadline and shuts their socket down, which libmicrohttpd sees as
 * the client leaving and cleans up in its own thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "serve.h"

typedef struct guard_conn {
	struct guard_conn *prev, *next;
	int fd;
	time_t deadline;        /* monotonic seconds; 0 while a request is being answered */
} guard_conn;

struct tr_guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool stop;
	unsigned timeout;
	guard_conn *head;
	unsigned long closed;   /* connections closed for their deadline */
};

static time_t
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void *
watch(void *arg)
{
	tr_guard *g = arg;
	struct timespec until;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		time_t now = now_seconds();
		unsigned long n = 0;

		for (guard_conn *c = g->head; c; c = c->next) {
			if (c->deadline && now >= c->deadline) {
				/* Registered means not yet closed by libmicrohttpd, so the descriptor is still this connection's. */
				shutdown(c->fd, SHUT_RDWR);
				c->deadline = 0;
				n++;
			}
		}
		if (n) {
			g->closed += n;
			tr_http_log("%lu Verbindung%s ohne vollständige Anfrage nach %u s geschlossen (--header-timeout)",
			            n, n == 1 ? "" : "en", g->timeout);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

tr_guard *
tr_guard_start(unsigned header_timeout)
{
	tr_guard *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->timeout = header_timeout;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (pthread_create(&g->thread, NULL, watch, g) != 0) {
		pthread_mutex_destroy(&g->lock);
		pthread_cond_destroy(&g->wake);
		free(g);
		return NULL;
	}
	return g;
}

void
tr_guard_stop(tr_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	/* libmicrohttpd has closed every connection by now (MHD_stop_daemon() came first). */
	while (g->head) {
		guard_conn *c = g->head;
		g->head = c->next;
		free(c);
	}
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g);
}

void
tr_guard_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                    enum MHD_ConnectionNotificationCode toe)
{
	tr_guard *g = cls;
	guard_conn *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		/* Out of memory: the connection goes unguarded, the idle timeout still holds. */
		if (!ci || !(c = calloc(1, sizeof *c)))
			return;
		c->fd = ci->connect_fd;
		pthread_mutex_lock(&g->lock);
		c->deadline = now_seconds() + g->timeout;
		c->next = g->head;
		if (g->head)
			g->head->prev = c;
		g->head = c;
		pthread_mutex_unlock(&g->lock);
		*socket_context = c;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		pthread_mutex_lock(&g->lock);
		if (c->prev)
			c->prev->next = c->next;
		else
			g->head = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&g->lock);
		free(c);
		*socket_context = NULL;
	}
}

/* Sets the deadline of @conn's connection: 0 for none, else @seconds from now. */
static void
set_deadline(tr_guard *g, struct MHD_Connection *conn, unsigned seconds)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	guard_conn *c = ci ? ci->socket_context : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->deadline = seconds ? now_seconds() + seconds : 0;
	pthread_mutex_unlock(&g->lock);
}

void
tr_guard_request(tr_guard *g, struct MHD_Connection *conn)
{
	if (g)
		set_deadline(g, conn, 0);
}

void
tr_guard_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                   enum MHD_RequestTerminationCode toe)
{
	(void)req_cls;
	(void)toe;
	/* Kept alive, the connection has the same time again for its next request. */
	set_deadline(cls, conn, ((tr_guard *)cls)->timeout);
}
