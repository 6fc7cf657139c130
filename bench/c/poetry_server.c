/*
 * The C floor of the server benchmarks (bench/run-native): what a request costs with nothing
 * between the server and the kernel. One thread, level-triggered epoll, accept4(SOCK_NONBLOCK |
 * SOCK_CLOEXEC) until EAGAIN.
 *
 * poetry_server FILE [PORT]: per connection one write of the whole poem and one close: three
 * system calls per request when the socket takes the poem at once (a short write waits for
 * EPOLLOUT, so the reply is always whole).
 *
 * poetry_server --transform [PORT]: the transform server's wire behaviour for the benchmark's one
 * request: reads one netstring "cummingsify.POEM" (the connection is added to epoll for EPOLLIN
 * and read when ready), answers one netstring with the poem lower-cased (ASCII) and closes; a
 * request it cannot parse is closed without a reply.
 *
 * Listens on 127.0.0.1 (port 0 picks a free one), prints "port N" and serves until killed.
 * Build: cc -O2 -o poetry_server bench/c/poetry_server.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536
#define MAX_REQUEST 65536

static char poem[1 << 20];
static size_t poem_len;
static int transform;

/* Per connection: the reply and how much of it is written; for the transform, the request read. */
struct conn {
  char *reply;
  size_t reply_len, sent;
  char *request;
  size_t request_len;
};
static struct conn conns[MAX_FDS];

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void finish(int fd) {
  struct conn *c = &conns[fd];
  if (c->reply != poem) free(c->reply);
  free(c->request);
  memset(c, 0, sizeof *c);
  close(fd); /* the kernel drops it from the epoll set, if it was there */
}

/* Writes what is left of the reply; closes when done. Returns 0 if it must wait for EPOLLOUT. */
static int send_reply(int fd) {
  struct conn *c = &conns[fd];
  while (c->sent < c->reply_len) {
    ssize_t n = write(fd, c->reply + c->sent, c->reply_len - c->sent);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n < 0) break; /* the peer went away */
    c->sent += (size_t)n;
  }
  finish(fd);
  return 1;
}

/*
 * Reads the transform request; once whole, builds the reply and sends it. Returns 1 when the
 * connection is done with reading (answered, waiting for EPOLLOUT, or closed).
 */
static int read_request(int ep, int fd) {
  struct conn *c = &conns[fd];
  if (!c->request && !(c->request = malloc(MAX_REQUEST))) die("malloc");
  for (;;) {
    ssize_t n = read(fd, c->request + c->request_len, MAX_REQUEST - c->request_len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) { finish(fd); return 1; } /* end of stream or error before a whole request */
    c->request_len += (size_t)n;
    char *colon = memchr(c->request, ':', c->request_len);
    if (!colon) {
      if (c->request_len > 10) { finish(fd); return 1; }
      continue;
    }
    size_t len = strtoul(c->request, NULL, 10), head = (size_t)(colon - c->request) + 1;
    if (head + len + 1 > MAX_REQUEST) { finish(fd); return 1; }
    if (c->request_len < head + len + 1) continue;
    const char *name = "cummingsify.";
    size_t name_len = strlen(name);
    if (c->request[head + len] != ',' || len < name_len || memcmp(c->request + head, name, name_len)) {
      finish(fd);
      return 1;
    }
    size_t body = len - name_len;
    char digits[24];
    int d = snprintf(digits, sizeof digits, "%zu:", body);
    if (!(c->reply = malloc((size_t)d + body + 1))) die("malloc");
    memcpy(c->reply, digits, (size_t)d);
    for (size_t i = 0; i < body; i++) {
      c->reply[d + i] = (char)tolower((unsigned char)c->request[head + name_len + i]);
    }
    c->reply[d + body] = ',';
    c->reply_len = (size_t)d + body + 1;
    if (!send_reply(fd)) {
      struct epoll_event out = {.events = EPOLLOUT, .data.fd = fd};
      epoll_ctl(ep, EPOLL_CTL_MOD, fd, &out);
    }
    return 1;
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: poetry_server FILE [PORT] | poetry_server --transform [PORT]\n");
    return 2;
  }
  transform = strcmp(argv[1], "--transform") == 0;
  if (!transform) {
    FILE *f = fopen(argv[1], "rb");
    if (!f) die(argv[1]);
    poem_len = fread(poem, 1, sizeof poem, f);
    fclose(f);
  }

  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (ls < 0) die("socket");
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(argc > 2 ? (unsigned short)atoi(argv[2]) : 0);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  if (listen(ls, SOMAXCONN) < 0) die("listen");
  socklen_t len = sizeof addr;
  getsockname(ls, (struct sockaddr *)&addr, &len);
  printf("port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev) < 0) die("epoll_ctl");

  struct epoll_event events[256];
  for (;;) {
    int n = epoll_wait(ep, events, 256, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd != ls) {
        if (conns[fd].reply) send_reply(fd); /* writable again */
        else read_request(ep, fd);
        continue;
      }
      for (;;) {
        int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c < 0) {
          if (errno == EINTR || errno == ECONNABORTED) continue;
          break; /* EAGAIN, or out of descriptors: try again at the next event */
        }
        if (c >= MAX_FDS) {
          close(c);
          continue;
        }
        struct epoll_event wanted = {.data.fd = c};
        if (transform) {
          wanted.events = EPOLLIN; /* read when the request is there */
        } else {
          conns[c].reply = poem;
          conns[c].reply_len = poem_len;
          if (send_reply(c)) continue;
          wanted.events = EPOLLOUT;
        }
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &wanted);
      }
    }
  }
}
