/*
 * The C floor of the poetry server benchmark (bench/run-native): what a request costs with nothing
 * between the server and the kernel. One thread, level-triggered epoll on the listening socket,
 * accept4(SOCK_NONBLOCK | SOCK_CLOEXEC) until EAGAIN, then per connection one write of the whole
 * poem and one close: three system calls per request when the socket takes the poem at once (a
 * short write waits for EPOLLOUT, so the reply is always whole).
 *
 * Listens on 127.0.0.1 (port 0 picks a free one), prints "port N" and serves until killed.
 * Build: cc -O2 -o poetry_server bench/c/poetry_server.c. Usage: poetry_server FILE [PORT]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536

static char poem[1 << 20];
static size_t poem_len;
static size_t sent[MAX_FDS]; /* bytes already written, for connections waiting for EPOLLOUT */

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* Writes what is left of the poem; closes when done. Returns 0 if it must wait for EPOLLOUT. */
static int serve(int ep, int fd) {
  while (sent[fd] < poem_len) {
    ssize_t n = write(fd, poem + sent[fd], poem_len - sent[fd]);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n < 0) break; /* the peer went away */
    sent[fd] += (size_t)n;
  }
  sent[fd] = 0;
  close(fd); /* the kernel drops it from the epoll set, if it was there */
  (void)ep;
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: poetry_server FILE [PORT]\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) die(argv[1]);
  poem_len = fread(poem, 1, sizeof poem, f);
  fclose(f);

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
        serve(ep, fd); /* writable again */
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
        if (!serve(ep, c)) {
          struct epoll_event out = {.events = EPOLLOUT, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &out);
        }
      }
    }
  }
}
