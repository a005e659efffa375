/*
 * The worker threads of `tellerrand serve`.  libmicrohttpd's one thread
 * reads requests and writes responses for every connection; a request is
 * suspended and queued here, answered by the first free worker, and
 * resumed.  One queue for all connections keeps both cores busy as long
 * as there is work: with libmicrohttpd's own thread pool each thread kept
 * the connections it had accepted, and a client's kept-alive connections
 * all landed on one thread while the other stood idle.
 */
#include <pthread.h>
#include <stdlib.h>

#include "serve.h"

struct tr_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* a job was queued, or the pool stops */
	pthread_cond_t idle;        /* the queue ran empty and no job is running */
	tr_job *head, *tail;
	unsigned running;           /* jobs taken and not yet finished */
	bool closed;                /* tr_pool_drain(): no new jobs */
	bool stopping;
	pthread_t *threads;
	unsigned n_threads;
};

static void *
worker_main(void *arg)
{
	tr_pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		tr_job *j;

		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (!p->head)
			break;
		j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->running++;
		pthread_mutex_unlock(&p->lock);
		/* Resumes the connection: the job may be gone once this returns. */
		j->run(j);
		pthread_mutex_lock(&p->lock);
		if (--p->running == 0 && !p->head)
			pthread_cond_broadcast(&p->idle);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

tr_pool *
tr_pool_start(unsigned n_threads)
{
	tr_pool *p = calloc(1, sizeof *p);

	if (!p || !(p->threads = calloc(n_threads, sizeof *p->threads))) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	for (; p->n_threads < n_threads; p->n_threads++) {
		if (pthread_create(&p->threads[p->n_threads], NULL, worker_main, p) != 0) {
			tr_pool_stop(p);
			return NULL;
		}
	}
	return p;
}

bool
tr_pool_submit(tr_pool *p, tr_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->closed) {
		pthread_mutex_unlock(&p->lock);
		return false;
	}
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	return true;
}

void
tr_pool_drain(tr_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->closed = true;
	while (p->head || p->running)
		pthread_cond_wait(&p->idle, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void
tr_pool_stop(tr_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	free(p->threads);
	free(p);
}
