/*
 * rtload: the benchmark's WebSocket load client (issue 9). One thread, epoll, non-blocking
 * sockets, so it costs little per delivery and reports its own CPU next to the figures.
 *
 * It opens N connections to a WebSocket server (the hub or a peer), optionally subscribes
 * each to a hub topic, and counts what arrives until SIGTERM or --duration:
 *   - deliveries: every "t=<ns>" stamp in a text frame is one delivered event; the stamp is
 *     the publisher's *scheduled* send time (CLOCK_REALTIME), so latency includes any queueing
 *     at the publisher (no coordinated omission);
 *   - for hub events, every top-level "seq": is checked against the connection's last seq:
 *     gaps and duplicates are counted (they must stay 0);
 *   - --storm-after S: S seconds after all connections are ready, every socket is closed at
 *     once and reopened; each resubscribes with its {epoch, seq}; the time from the storm to
 *     each "subscribed" answer (recovered:true) is recorded.
 * Output: one JSON object on stdout. "ready" is printed on stderr once every connection is
 * open (and subscribed), so a runner can start publishing then.
 *
 * Build: gcc -O2 -o rtload rtload.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { CONNECTING, HANDSHAKE, OPEN, CLOSED };

struct conn {
    int fd;
    enum state state;
    char *in;
    size_t in_len, in_cap;
    int64_t last_seq;      /* last event seq seen (hub topics), -1 before subscribed */
    int subscribed;        /* answers received */
    int64_t resume_wait;   /* storm: ns when the reconnect began, 0 when not waiting */
};

static struct conn *conns;
static int nconns;
static const char *host = "127.0.0.1", *path = "/ws", *token = NULL, *topic = NULL;
static int port = 0;
static double duration = 0, storm_after = -1, ramp = 2000;
static volatile sig_atomic_t stop_flag = 0;
static int epfd;
static char epoch[64] = "";

static uint32_t *lat;          /* latency samples, microseconds */
static size_t lat_n, lat_cap;
static uint64_t deliveries, frames, bytes_in, gaps, dups, closes, failed, pings;
static uint32_t *resume_us;
static size_t resume_n;
static int unrecovered;

static int64_t now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static void send_all(struct conn *c, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue; /* tiny control messages: spin */
            c->state = CLOSED;
            return;
        }
        data += n;
        len -= (size_t)n;
    }
}

/* A masked client frame (clients must mask). */
static void send_frame(struct conn *c, int opcode, const char *payload, size_t len) {
    unsigned char header[14];
    size_t h = 0;
    header[h++] = 0x80 | (opcode & 0xF);
    if (len < 126) {
        header[h++] = 0x80 | (unsigned char)len;
    } else {
        header[h++] = 0x80 | 126;
        header[h++] = (unsigned char)(len >> 8);
        header[h++] = (unsigned char)len;
    }
    uint32_t key = (uint32_t)rand();
    memcpy(header + h, &key, 4);
    const unsigned char *k = header + h;
    h += 4;
    char buf[4096];
    if (len + h > sizeof buf) return;
    memcpy(buf, header, h);
    for (size_t i = 0; i < len; i++) buf[h + i] = payload[i] ^ k[i % 4];
    send_all(c, buf, h + len);
}

static void subscribe(struct conn *c) {
    if (!topic) return;
    char msg[512];
    int n;
    if (c->last_seq >= 0 && epoch[0])
        n = snprintf(msg, sizeof msg, "{\"epoch\":\"%s\",\"seq\":%lld,\"topic\":\"%s\",\"type\":\"subscribe\"}", epoch,
                     (long long)c->last_seq, topic);
    else
        n = snprintf(msg, sizeof msg, "{\"topic\":\"%s\",\"type\":\"subscribe\"}", topic);
    send_frame(c, 0x1, msg, (size_t)n);
}

static void open_conn(struct conn *c) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->state = CONNECTING;
    c->in_len = 0;
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
        failed++;
        close(c->fd);
        c->state = CLOSED;
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void send_handshake(struct conn *c) {
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: cnRsb2FkLWJlbmNobWFyaw==\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n",
                     path, host, port, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "");
    send_all(c, req, (size_t)n);
    c->state = HANDSHAKE;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void record_latency(int64_t stamp) {
    int64_t us = (now_ns(CLOCK_REALTIME) - stamp) / 1000;
    if (us < 0) us = 0;
    if (lat_n == lat_cap) {
        lat_cap = lat_cap ? lat_cap * 2 : 1 << 20;
        lat = realloc(lat, lat_cap * sizeof *lat);
    }
    lat[lat_n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void on_text(struct conn *c, const char *p, size_t len) {
    frames++;
    const char *end = p + len;
    if (len > 20 && memmem(p, len, "\"type\":\"subscribed\"", 19)) {
        const char *s = memmem(p, len, "\"seq\":", 6);
        const char *e = memmem(p, len, "\"epoch\":\"", 9);
        if (e && !epoch[0]) {
            e += 9;
            size_t i = 0;
            while (e < end && *e != '"' && i < sizeof epoch - 1) epoch[i++] = *e++;
            epoch[i] = 0;
        }
        if (memmem(p, len, "\"recovered\":false", 17) && c->last_seq >= 0) unrecovered++;
        if (s && c->last_seq < 0) c->last_seq = strtoll(s + 6, NULL, 10);
        c->subscribed++;
        if (c->resume_wait) {
            resume_us[resume_n++] = (uint32_t)((now_ns(CLOCK_MONOTONIC) - c->resume_wait) / 1000);
            c->resume_wait = 0;
        }
        return;
    }
    /* Each event carries one stamp in its data and (hub) one top-level seq after it. */
    const char *q = p;
    while (q < end) {
        const char *t = memmem(q, (size_t)(end - q), "t=", 2);
        const char *s = memmem(q, (size_t)(end - q), "\"seq\":", 6);
        if (!t && !s) break;
        if (t && (!s || t < s)) {
            deliveries++;
            record_latency(strtoll(t + 2, NULL, 10));
            q = t + 2;
        } else {
            int64_t seq = strtoll(s + 6, NULL, 10);
            if (c->last_seq >= 0) {
                if (seq <= c->last_seq) dups++;
                else if (seq != c->last_seq + 1) gaps++;
            }
            if (seq > c->last_seq) c->last_seq = seq;
            q = s + 6;
        }
    }
}

static void on_readable(struct conn *c) {
    for (;;) {
        if (c->in_cap - c->in_len < 65536) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 131072;
            c->in = realloc(c->in, c->in_cap);
        }
        ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            closes++;
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = CLOSED;
            return;
        }
        if (n < 0) break;
        bytes_in += (uint64_t)n;
        c->in_len += (size_t)n;
    }
    size_t off = 0;
    if (c->state == HANDSHAKE) {
        char *eoh = memmem(c->in, c->in_len, "\r\n\r\n", 4);
        if (!eoh) return;
        if (c->in_len < 12 || memcmp(c->in + 9, "101", 3) != 0) {
            failed++;
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = CLOSED;
            return;
        }
        off = (size_t)(eoh - c->in) + 4;
        c->state = OPEN;
        subscribe(c);
    }
    while (c->in_len - off >= 2) {
        unsigned char *b = (unsigned char *)c->in + off;
        int opcode = b[0] & 0xF;
        uint64_t len = b[1] & 0x7F;
        size_t h = 2;
        if (len == 126) {
            if (c->in_len - off < 4) break;
            len = ((uint64_t)b[2] << 8) | b[3];
            h = 4;
        } else if (len == 127) {
            if (c->in_len - off < 10) break;
            len = 0;
            for (int i = 0; i < 8; i++) len = (len << 8) | b[2 + i];
            h = 10;
        }
        if (c->in_len - off < h + len) break;
        const char *payload = (const char *)b + h;
        if (opcode == 0x1 || opcode == 0x0) on_text(c, payload, (size_t)len);
        else if (opcode == 0x9) { pings++; send_frame(c, 0xA, payload, (size_t)len); }
        else if (opcode == 0x8) { closes++; }
        off += h + (size_t)len;
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
}

static void poll_once(int timeout_ms) {
    struct epoll_event events[512];
    int n = epoll_wait(epfd, events, 512, timeout_ms);
    for (int i = 0; i < n; i++) {
        struct conn *c = events[i].data.ptr;
        if (c->state == CONNECTING) {
            int err = 0;
            socklen_t l = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
            if (err) {
                failed++;
                epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->state = CLOSED;
                continue;
            }
            send_handshake(c);
        } else if (c->state == HANDSHAKE || c->state == OPEN) {
            on_readable(c);
        }
    }
}

static int ready_count(void) {
    int ready = 0;
    for (int i = 0; i < nconns; i++)
        if (conns[i].state == OPEN && (!topic || conns[i].subscribed > 0)) ready++;
    return ready;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(uint32_t *v, size_t n, double p) {
    if (!n) return -1;
    size_t i = (size_t)(p * (double)(n - 1));
    return v[i];
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--host")) host = v, i++;
        else if (!strcmp(a, "--port")) port = atoi(v), i++;
        else if (!strcmp(a, "--path")) path = v, i++;
        else if (!strcmp(a, "--conns")) nconns = atoi(v), i++;
        else if (!strcmp(a, "--token")) token = v, i++;
        else if (!strcmp(a, "--topic")) topic = v, i++;
        else if (!strcmp(a, "--duration")) duration = atof(v), i++;
        else if (!strcmp(a, "--storm-after")) storm_after = atof(v), i++;
        else if (!strcmp(a, "--ramp")) ramp = atof(v), i++;
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }
    if (!port || nconns <= 0) {
        fprintf(stderr, "usage: rtload --port P --conns N [--host H] [--path /ws] [--token T] [--topic T] [--duration S] [--storm-after S] [--ramp conns/s]\n");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl = {.rlim_cur = 1 << 20, .rlim_max = 1 << 20};
    setrlimit(RLIMIT_NOFILE, &rl);
    epfd = epoll_create1(0);
    conns = calloc((size_t)nconns, sizeof *conns);
    resume_us = calloc((size_t)nconns, sizeof *resume_us);
    for (int i = 0; i < nconns; i++) conns[i].last_seq = -1;

    /* Open at `ramp` connections per second, so the server's accept backlog never overflows. */
    int64_t start = now_ns(CLOCK_MONOTONIC);
    int opened = 0;
    while (opened < nconns && !stop_flag) {
        double elapsed = (double)(now_ns(CLOCK_MONOTONIC) - start) / 1e9;
        int due = (int)(elapsed * ramp) + 1;
        while (opened < nconns && opened < due) open_conn(&conns[opened++]);
        poll_once(1);
    }
    int64_t wait_until = now_ns(CLOCK_MONOTONIC) + 60LL * 1000000000LL;
    while (!stop_flag && ready_count() + (int)failed < nconns && now_ns(CLOCK_MONOTONIC) < wait_until) poll_once(10);
    double connect_s = (double)(now_ns(CLOCK_MONOTONIC) - start) / 1e9;
    int ready = ready_count();
    fprintf(stderr, "ready %d/%d in %.2f s\n", ready, nconns, connect_s);

    struct rusage ru0;
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t deliveries_at_ready = deliveries;
    int64_t began = now_ns(CLOCK_MONOTONIC);
    int stormed = 0;
    int64_t storm_at = 0;
    while (!stop_flag) {
        int64_t t = now_ns(CLOCK_MONOTONIC);
        if (duration > 0 && (double)(t - began) / 1e9 >= duration) break;
        if (storm_after >= 0 && !stormed && (double)(t - began) / 1e9 >= storm_after) {
            stormed = 1;
            storm_at = t;
            for (int i = 0; i < nconns; i++) {
                struct conn *c = &conns[i];
                if (c->state != CLOSED) {
                    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
                    close(c->fd);
                }
                c->resume_wait = t;
                c->subscribed = 0;
                open_conn(c);
            }
        }
        poll_once(5);
    }
    double window = (double)(now_ns(CLOCK_MONOTONIC) - began) / 1e9;
    struct rusage ru1;
    getrusage(RUSAGE_SELF, &ru1);
    double cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
                 (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) + (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    qsort(lat, lat_n, sizeof *lat, cmp_u32);
    qsort(resume_us, resume_n, sizeof *resume_us, cmp_u32);
    uint64_t counted = deliveries - deliveries_at_ready;
    printf("{\"kind\":\"rtload\",\"conns\":%d,\"ready\":%d,\"connect_s\":%.3f,\"window_s\":%.3f,\"deliveries\":%llu,"
           "\"frames\":%llu,\"bytes\":%llu,\"p50_us\":%.0f,\"p99_us\":%.0f,\"p999_us\":%.0f,\"max_us\":%.0f,"
           "\"gaps\":%llu,\"duplicates\":%llu,\"closes\":%llu,\"failed\":%llu,\"pings\":%llu,"
           "\"client_cpu_s\":%.3f,\"client_cpu_us_per_delivery\":%.3f",
           nconns, ready, connect_s, window, (unsigned long long)counted, (unsigned long long)frames,
           (unsigned long long)bytes_in, pct(lat, lat_n, 0.50), pct(lat, lat_n, 0.99), pct(lat, lat_n, 0.999),
           pct(lat, lat_n, 1.0), (unsigned long long)gaps, (unsigned long long)dups, (unsigned long long)closes,
           (unsigned long long)failed, (unsigned long long)pings, cpu, counted ? cpu * 1e6 / (double)counted : 0.0);
    if (stormed) {
        printf(",\"storm\":{\"resumed\":%zu,\"unrecovered\":%d,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"since_storm_s\":%.3f}",
               resume_n, unrecovered, pct(resume_us, resume_n, 0.5) / 1000, pct(resume_us, resume_n, 0.99) / 1000,
               pct(resume_us, resume_n, 1.0) / 1000, (double)(now_ns(CLOCK_MONOTONIC) - storm_at) / 1e9);
    }
    printf("}\n");
    return 0;
}
