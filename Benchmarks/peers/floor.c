/* floor: the cost of the kernel's part of a WebSocket broadcast, measured alone.
 * Opens N loopback TCP connections to a sink in a forked child (which drains them with
 * epoll, in its own process so its CPU is not counted), then writes one pre-built
 * unmasked text frame to each connection with send(), for M rounds, and prints the
 * sending process's CPU per send as one JSON line. Benchmark fixture, not product code.
 * Usage: floor N M [PAYLOAD_BYTES=600]      Build: gcc -O2 -o floor floor.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Child: accept `n` connections, tell the parent, then read and discard until killed. */
static void sink(int lfd, int n, int ready_fd) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    for (int accepted = 0; accepted < n; accepted++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) die("accept");
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    }
    if (write(ready_fd, "r", 1) != 1) die("write ready");
    static char buf[65536];
    struct epoll_event evs[256];
    for (;;) {
        int k = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < k; i++) {
            ssize_t r = read(evs[i].data.fd, buf, sizeof buf);
            if (r <= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, evs[i].data.fd, NULL); close(evs[i].data.fd); }
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: floor N M [PAYLOAD_BYTES]\n"); return 2; }
    int n = atoi(argv[1]), rounds = atoi(argv[2]);
    int payload = argc > 3 ? atoi(argv[3]) : 600;
    if (n <= 0 || rounds <= 0 || payload < 126 || payload > 65535) {
        fprintf(stderr, "need N > 0, M > 0, 126 <= PAYLOAD_BYTES <= 65535\n");
        return 2;
    }

    struct rlimit rl;  /* N sockets per process, plus a few */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    /* Server-to-client text frame: FIN + opcode 1, 16-bit length, no mask. */
    size_t frame_len = 4 + (size_t)payload;
    unsigned char *frame = malloc(frame_len);
    frame[0] = 0x81; frame[1] = 126; frame[2] = payload >> 8; frame[3] = payload & 0xff;
    memset(frame + 4, 'x', payload);
    memcpy(frame + 4, "{\"type\":\"event\",\"data\":\"", 24);
    frame[frame_len - 2] = '"'; frame[frame_len - 1] = '}';

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) die("listen");

    int ready[2];
    if (pipe(ready) < 0) die("pipe");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) { close(ready[0]); sink(lfd, n, ready[1]); }
    close(ready[1]);
    close(lfd);

    int *fds = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
        int one = 1;
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
        setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* as servers do */
    }
    char c;
    if (read(ready[0], &c, 1) != 1) { fprintf(stderr, "sink failed\n"); return 1; }

    double cpu0 = cpu_us(), t0 = now_s();
    long sends = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
            size_t off = 0;
            while (off < frame_len) {
                ssize_t w = send(fds[i], frame + off, frame_len - off, MSG_NOSIGNAL);
                if (w < 0) { if (errno == EINTR) continue; die("send"); }
                off += (size_t)w;
            }
            sends++;
        }
    }
    double wall = now_s() - t0, cpu = cpu_us() - cpu0;

    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("{\"kind\":\"floor\",\"connections\":%d,\"rounds\":%d,\"frame_bytes\":%zu,\"sends\":%ld,"
           "\"cpu_us_per_send\":%.3f,\"wall_s\":%.4f}\n",
           n, rounds, frame_len, sends, cpu / sends, wall);
    return 0;
}
