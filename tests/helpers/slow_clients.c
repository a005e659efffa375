/*
 * slow_clients PORT COUNT SECONDS [SOURCE]: opens COUNT connections to
 * 127.0.0.1:PORT (from the loopback address SOURCE, default 127.0.0.1),
 * sends each a request line and then one byte of a header every second,
 * never finishing the request ("slowloris").  Stops by itself after
 * SECONDS and prints one line:
 *
 *   connected=N refused=R closed=C open=O last_close=S
 *
 * refused: closed by the server within a second of connecting (a limit);
 * closed: closed by the server later (a deadline); open: still open at the
 * end; last_close: seconds after the start at which the last one closed.
 * Only for the tests: talks to loopback only, bounded in count and time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING, OPEN, GONE, FAILED };

typedef struct conn {
	int fd;
	int state;
	double opened;
} conn;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A whole number in [lo, hi], or -1. */
static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= lo && v <= hi ? v : -1;
}

static int
open_one(const struct sockaddr_in *to, const struct sockaddr_in *from)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (const struct sockaddr *)from, sizeof *from) != 0 ||
	    (connect(fd, (const struct sockaddr *)to, sizeof *to) != 0 && errno != EINPROGRESS)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static const char line[] = "GET /?q=Kita HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Langsam: ";
	struct sockaddr_in to, from;
	long port;
	int n, seconds, connected = 0, refused = 0, closed = 0, open_n = 0;
	double start, last_close = 0, next_byte;
	conn *c;
	struct pollfd *p;

	if (argc < 4 || (port = number(argv[1], 1, 65535)) < 0 || (n = (int)number(argv[2], 1, 2000)) < 0 ||
	    (seconds = (int)number(argv[3], 1, 120)) < 0) {
		fprintf(stderr, "usage: slow_clients PORT COUNT(1-2000) SECONDS(1-120) [SOURCE]\n");
		return 2;
	}
	alarm((unsigned)seconds + 10);  /* whatever happens, never outlive the test */
	memset(&to, 0, sizeof to);
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	from = to;
	from.sin_port = 0;
	if (inet_pton(AF_INET, argc > 4 ? argv[4] : "127.0.0.1", &from.sin_addr) != 1 ||
	    (ntohl(from.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "slow_clients: SOURCE must be a loopback address\n");
		return 2;
	}
	c = calloc((size_t)n, sizeof *c);
	p = calloc((size_t)n, sizeof *p);
	if (!c || !p)
		return 1;
	start = now();
	for (int i = 0; i < n; i++) {
		c[i].fd = open_one(&to, &from);
		c[i].state = c[i].fd < 0 ? FAILED : CONNECTING;
		c[i].opened = now();
	}
	next_byte = start + 1;
	while (now() - start < seconds) {
		bool tick = now() >= next_byte;

		for (int i = 0; i < n; i++) {
			p[i].fd = c[i].state == CONNECTING || c[i].state == OPEN ? c[i].fd : -1;
			p[i].events = c[i].state == CONNECTING ? POLLOUT : POLLIN;
			p[i].revents = 0;
		}
		poll(p, (nfds_t)n, 100);
		if (tick)
			next_byte += 1;
		for (int i = 0; i < n; i++) {
			char buf[4096];
			ssize_t r;

			if (c[i].state == CONNECTING && (p[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
				int err = 0;
				socklen_t len = sizeof err;

				getsockopt(c[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err || send(c[i].fd, line, sizeof line - 1, MSG_NOSIGNAL) < 0) {
					c[i].state = FAILED;
					continue;
				}
				c[i].state = OPEN;
				connected++;
			} else if (c[i].state == OPEN && (p[i].revents & (POLLIN | POLLERR | POLLHUP))) {
				r = recv(c[i].fd, buf, sizeof buf, 0);
				if (r > 0)
					continue;  /* an error response; the close follows */
				c[i].state = GONE;
				if (now() - c[i].opened < 1.0)
					refused++;
				else
					closed++;
				last_close = now() - start;
			} else if (c[i].state == OPEN && tick) {
				send(c[i].fd, "a", 1, MSG_NOSIGNAL);
			}
		}
	}
	for (int i = 0; i < n; i++) {
		open_n += c[i].state == OPEN;
		if (c[i].fd >= 0)
			close(c[i].fd);
	}
	/* Connections that never got through count as refused too (a full backlog). */
	for (int i = 0; i < n; i++)
		refused += c[i].state == FAILED || c[i].state == CONNECTING;
	printf("connected=%d refused=%d closed=%d open=%d last_close=%.1f\n", connected, refused, closed, open_n,
	       last_close);
	free(c);
	free(p);
	return 0;
}
