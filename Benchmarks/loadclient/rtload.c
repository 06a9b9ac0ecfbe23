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
 *     gaps and duplicates are counted (they must stay 0); a conflated frame's "prev" (the
 *     seq the hub sent before it) may be below the last seq, only "prev" beyond it is a gap;
 *   - --storm-after S: S seconds after all connections are ready, every socket is closed at
 *     once and reopened; each resubscribes with its {epoch, seq}; the time from the storm to
 *     each "subscribed" answer (recovered:true) is recorded.
 *   - --ports P1,P2: connection i goes to port P[i % n] (two hub instances: S7); latency is
 *     also reported per port ("by_port");
 *   - --topics-file F: connection i subscribes to line i % n of F instead of --topic (S4);
 *   - --tally: viewers read every "dots":N in tally events; for each count the time each
 *     viewer first held a tally >= it is kept, so vote staleness can be computed (S3);
 *   - --requests-file F --req-rate R --req-seconds D [--req-conns K]: an open-loop HTTP
 *     publisher in the same loop (S3 votes, S4 topics): request k is due at start + k/R and
 *     uses line k % n of F ("METHOD<TAB>PATH<TAB>HEADER: V|HEADER: V<TAB>BODY"); "{t}" in a
 *     line is replaced by the scheduled time (CLOCK_REALTIME ns) and "{k}" by a unique key;
 *     every request also carries "Idempotency-Key: rtload-<pid>-<k>". K keep-alive
 *     connections, one request in flight each; a due request waits for a free connection
 *     (counted as late when it leaves > 5 ms after its time; its stamp stays the schedule).
 *     --count-key '"dots":' reads the integer after that key in each 2xx answer: the count
 *     the request produced, for the staleness figures (S3).
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
    int group;             /* index into ports */
    int http;              /* 1: an HTTP publisher connection */
    int64_t req;           /* HTTP: request in flight, -1 when idle */
    int64_t max_tally;     /* --tally: highest count seen */
};

static struct conn *conns;
static int nconns;
static const char *host = "127.0.0.1", *path = "/ws", *token = NULL, *topic_option = NULL;
static int port = 0;
static double duration = 0, storm_after = -1, ramp = 2000;
static volatile sig_atomic_t stop_flag = 0;
static int epfd;
static char epoch[64] = "";

#define MAX_PORTS 8
static int ports[MAX_PORTS], nports = 0;
static char **topics;
static int ntopics;
static int tally_mode = 0;
/* HTTP publisher */
static char **req_lines;
static int nreq_lines;
static double req_rate = 0, req_seconds = 0;
static int req_conns = 64;
static const char *count_key = NULL;
static int64_t req_total, req_dispatched, req_start_mono, req_start_real;
static int64_t *req_sched_mono;  /* scheduled time (monotonic ns) */
static int32_t *req_count;       /* count from the answer, -1 pending, -2 failed */
static int64_t req_ok, req_errors, req_late, req_status[6];
static uint32_t *req_lat;        /* scheduled send to answer, µs */
static size_t req_lat_n;
/* --tally: reached[v * tally_cap + c] = µs (since tally_base) when viewer v first held >= c, 0 = never */
static uint32_t *reached;
static int64_t tally_cap, tally_base;
/* latency per port group */
static uint32_t *glat[MAX_PORTS];
static size_t glat_n[MAX_PORTS], glat_cap[MAX_PORTS];

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
    const char *topic = topics ? topics[(c - conns) % ntopics] : topic_option;
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
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(nports ? ports[c->group % nports] : port))};
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

static void record_latency(int group, int64_t stamp) {
    int64_t us = (now_ns(CLOCK_REALTIME) - stamp) / 1000;
    if (us < 0) us = 0;
    if (nports > 1) {
        if (glat_n[group] == glat_cap[group]) {
            glat_cap[group] = glat_cap[group] ? glat_cap[group] * 2 : 1 << 18;
            glat[group] = realloc(glat[group], glat_cap[group] * sizeof *glat[group]);
        }
        glat[group][glat_n[group]++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    }
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
    if (tally_mode && reached) {
        /* Tally events carry the topic's new count: the highest in this frame is what the viewer now holds. */
        int64_t best = -1;
        const char *d = p;
        while (d < end && (d = memmem(d, (size_t)(end - d), "\"dots\":", 7)) != NULL) {
            int64_t v = strtoll(d + 7, NULL, 10);
            if (v > best) best = v;
            d += 7;
        }
        if (best > c->max_tally) {
            int64_t v = c - conns;
            uint32_t at = (uint32_t)((now_ns(CLOCK_MONOTONIC) - tally_base) / 1000);
            if (at == 0) at = 1;
            for (int64_t k = c->max_tally + 1; k <= best && k < tally_cap; k++)
                if (k >= 0) reached[v * tally_cap + k] = at;
            c->max_tally = best;
        }
    }
    /* Each event carries one stamp in its data and (hub) one top-level seq after it. */
    const char *q = p;
    while (q < end) {
        const char *t = memmem(q, (size_t)(end - q), "t=", 2);
        const char *s = memmem(q, (size_t)(end - q), "\"seq\":", 6);
        if (!t && !s) break;
        if (t && (!s || t < s)) {
            deliveries++;
            record_latency(c->group, strtoll(t + 2, NULL, 10));
            q = t + 2;
        } else {
            char *after = NULL;
            int64_t seq = strtoll(s + 6, &after, 10);
            /* A conflated frame says which event the hub sent before it on the topic
             * ("prev", right after "seq"); the events between were superseded tallies. */
            int64_t prev = seq - 1;
            if (after && end - after > 8 && memcmp(after, ",\"prev\":", 8) == 0) prev = strtoll(after + 8, NULL, 10);
            if (c->last_seq >= 0) {
                if (seq <= c->last_seq) dups++;
                else if (prev > c->last_seq) gaps++;
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


/* ---- HTTP publisher (open loop) ---- */

static char **read_lines(const char *file, int *n) {
    FILE *f = fopen(file, "r");
    if (!f) { perror(file); exit(2); }
    char **lines = NULL;
    int count = 0, cap = 0;
    char *line = NULL;
    size_t len = 0;
    ssize_t got;
    while ((got = getline(&line, &len, f)) > 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        if (!got) continue;
        if (count == cap) { cap = cap ? cap * 2 : 64; lines = realloc(lines, (size_t)cap * sizeof *lines); }
        lines[count++] = strdup(line);
    }
    fclose(f);
    *n = count;
    return lines;
}

/* Copies src into dst, replacing {t} by the stamp and {k} by the key. */
static size_t substitute(char *dst, size_t cap, const char *src, size_t len, long long stamp, long long key) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 32 < cap; i++) {
        if (src[i] == '{' && i + 2 < len && src[i + 2] == '}' && (src[i + 1] == 't' || src[i + 1] == 'k')) {
            o += (size_t)snprintf(dst + o, cap - o, "%lld", src[i + 1] == 't' ? stamp : key);
            i += 2;
        } else {
            dst[o++] = src[i];
        }
    }
    return o;
}

static void http_send(struct conn *c, int64_t k) {
    const char *line = req_lines[k % nreq_lines];
    const char *f[4] = {line, NULL, NULL, NULL};
    size_t flen[4];
    int nf = 1;
    for (const char *q = line; *q && nf < 4; q++)
        if (*q == '\t') f[nf++] = q + 1;
    for (int i = 0; i < 4; i++) {
        if (!f[i]) { flen[i] = 0; continue; }
        const char *e = strchr(f[i], '\t');
        flen[i] = e && i < 3 ? (size_t)(e - f[i]) : strlen(f[i]);
    }
    long long stamp = req_start_real + (long long)((double)k * 1e9 / req_rate);
    long long key = (long long)getpid() * 100000000LL + k;
    char body[2048], headers[2048], target[1024], req[6144];
    size_t blen = f[3] ? substitute(body, sizeof body, f[3], flen[3], stamp, key) : 0;
    size_t hlen = f[2] ? substitute(headers, sizeof headers, f[2], flen[2], stamp, key) : 0;
    size_t tlen = f[1] ? substitute(target, sizeof target, f[1], flen[1], stamp, key) : 0;
    for (size_t i = 0; i < hlen; i++) if (headers[i] == '|') headers[i] = '\n';
    int n = snprintf(req, sizeof req, "%.*s %.*s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Idempotency-Key: rtload-%lld\r\n", (int)flen[0], f[0], (int)tlen, target, host, blen, key);
    /* headers: one per '|' (turned into '\n' above), each sent with CRLF */
    const char *h = headers, *hend = headers + hlen;
    while (h < hend) {
        const char *nl = memchr(h, '\n', (size_t)(hend - h));
        if (!nl) nl = hend;
        if (nl > h) n += snprintf(req + n, sizeof req - (size_t)n, "%.*s\r\n", (int)(nl - h), h);
        h = nl + 1;
    }
    n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    if ((size_t)n + blen < sizeof req) { memcpy(req + n, body, blen); n += (int)blen; }
    c->req = k;
    c->in_len = 0;
    send_all(c, req, (size_t)n);
}

static void http_answered(struct conn *c, int status, const char *body, size_t blen) {
    int64_t k = c->req;
    c->req = -1;
    int64_t t = now_ns(CLOCK_MONOTONIC);
    int cls = status / 100;
    if (cls >= 0 && cls < 6) req_status[cls]++;
    if (cls == 2) {
        req_ok++;
        int64_t us = (t - req_sched_mono[k]) / 1000;
        req_lat[req_lat_n++] = us < 0 ? 0 : (uint32_t)us;
        if (count_key) {
            const char *d = memmem(body, blen, count_key, strlen(count_key));
            req_count[k] = d ? (int32_t)strtol(d + strlen(count_key), NULL, 10) : -2;
        }
    } else {
        req_errors++;
        req_count[k] = -2;
        if (req_errors <= 3) fprintf(stderr, "request %lld: HTTP %d %.*s\n", (long long)k, status, (int)(blen > 300 ? 300 : blen), body);
    }
}

static void http_readable(struct conn *c) {
    for (;;) {
        if (c->in_cap - c->in_len < 65536) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 131072;
            c->in = realloc(c->in, c->in_cap);
        }
        ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->state = CLOSED;
            if (c->req >= 0) { req_errors++; req_count[c->req] = -2; c->req = -1; }
            failed++;
            return;
        }
        if (n < 0) break;
        c->in_len += (size_t)n;
    }
    while (c->req >= 0) {
        char *eoh = memmem(c->in, c->in_len, "\r\n\r\n", 4);
        if (!eoh) return;
        size_t head = (size_t)(eoh - c->in) + 4;
        int status = c->in_len > 12 ? atoi(c->in + 9) : 0;
        size_t clen = 0;
        for (char *q = c->in; q < eoh; q++) {
            if ((*q == 'c' || *q == 'C') && (q == c->in || q[-1] == '\n') && !strncasecmp(q, "content-length:", 15)) {
                clen = (size_t)strtoul(q + 15, NULL, 10);
                break;
            }
        }
        if (c->in_len < head + clen) return;
        http_answered(c, status, c->in + head, clen);
        memmove(c->in, c->in + head + clen, c->in_len - head - clen);
        c->in_len -= head + clen;
    }
}

/* Hands every due request to a free connection, in order. */
static void http_dispatch(void) {
    int64_t t = now_ns(CLOCK_MONOTONIC);
    if (t < req_start_mono) return;
    int64_t due = (int64_t)((double)(t - req_start_mono) * req_rate / 1e9) + 1;
    if (due > req_total) due = req_total;
    for (int i = nconns; i < nconns + req_conns && req_dispatched < due; i++) {
        struct conn *c = &conns[i];
        if (c->state != OPEN || c->req >= 0) continue;
        int64_t k = req_dispatched++;
        if (t - req_sched_mono[k] > 5000000) req_late++;
        http_send(c, k);
    }
}

static int http_in_flight(void) {
    int n = 0;
    for (int i = nconns; i < nconns + req_conns; i++) n += conns[i].req >= 0;
    return n;
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
            if (c->http) {
                c->state = OPEN;
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
            } else {
                send_handshake(c);
            }
        } else if (c->http && c->state == OPEN) {
            http_readable(c);
        } else if (c->state == HANDSHAKE || c->state == OPEN) {
            on_readable(c);
        }
    }
}

static int ready_count(void) {
    int ready = 0;
    for (int i = 0; i < nconns; i++)
        if (conns[i].state == OPEN && (!(topic_option || topics) || conns[i].subscribed > 0)) ready++;
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
        else if (!strcmp(a, "--topic")) topic_option = v, i++;
        else if (!strcmp(a, "--ports")) {
            for (char *q = strdup(v), *tok = strtok(q, ","); tok && nports < MAX_PORTS; tok = strtok(NULL, ",")) ports[nports++] = atoi(tok);
            port = ports[0], i++;
        }
        else if (!strcmp(a, "--topics-file")) topics = read_lines(v, &ntopics), i++;
        else if (!strcmp(a, "--tally")) tally_mode = 1;
        else if (!strcmp(a, "--requests-file")) req_lines = read_lines(v, &nreq_lines), i++;
        else if (!strcmp(a, "--req-rate")) req_rate = atof(v), i++;
        else if (!strcmp(a, "--req-seconds")) req_seconds = atof(v), i++;
        else if (!strcmp(a, "--req-conns")) req_conns = atoi(v), i++;
        else if (!strcmp(a, "--count-key")) count_key = v, i++;
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
    if (!req_lines) req_conns = 0;
    conns = calloc((size_t)(nconns + req_conns), sizeof *conns);
    resume_us = calloc((size_t)nconns, sizeof *resume_us);
    for (int i = 0; i < nconns + req_conns; i++) {
        conns[i].last_seq = -1;
        conns[i].group = nports ? i % nports : 0;
        conns[i].req = -1;
        conns[i].http = i >= nconns;
        if (conns[i].http) conns[i].group = 0; /* requests go to the first port */
    }
    if (req_lines) {
        req_total = (int64_t)(req_rate * req_seconds);
        req_sched_mono = calloc((size_t)req_total + 1, sizeof *req_sched_mono);
        req_count = malloc(((size_t)req_total + 1) * sizeof *req_count);
        for (int64_t k = 0; k <= req_total; k++) req_count[k] = -1;
        req_lat = calloc((size_t)req_total + 1, sizeof *req_lat);
        if (tally_mode) {
            tally_cap = req_total + 2;
            reached = calloc((size_t)nconns * (size_t)tally_cap, sizeof *reached);
            if (!reached) { fprintf(stderr, "out of memory for %d x %lld tallies\n", nconns, (long long)tally_cap); return 2; }
        }
    }

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
    if (req_lines) {
        /* the publisher's keep-alive connections, opened after the viewers */
        for (int i = nconns; i < nconns + req_conns; i++) open_conn(&conns[i]);
        int64_t until = now_ns(CLOCK_MONOTONIC) + 10LL * 1000000000LL;
        for (;;) {
            int open = 0;
            for (int i = nconns; i < nconns + req_conns; i++) open += conns[i].state == OPEN;
            if (open == req_conns || now_ns(CLOCK_MONOTONIC) > until) break;
            poll_once(5);
        }
        tally_base = now_ns(CLOCK_MONOTONIC);
        req_start_mono = tally_base + 200000000LL;
        req_start_real = now_ns(CLOCK_REALTIME) + 200000000LL;
        for (int64_t k = 0; k < req_total; k++) req_sched_mono[k] = req_start_mono + (int64_t)((double)k * 1e9 / req_rate);
    }
    fprintf(stderr, "ready %d/%d in %.2f s\n", ready, nconns, connect_s);

    struct rusage ru0;
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t deliveries_at_ready = deliveries;
    int64_t began = now_ns(CLOCK_MONOTONIC);
    int stormed = 0;
    int64_t storm_at = 0;
    int64_t req_drained_at = 0;
    while (!stop_flag) {
        int64_t t = now_ns(CLOCK_MONOTONIC);
        if (duration > 0 && (double)(t - began) / 1e9 >= duration) break;
        if (req_lines) {
            http_dispatch();
            /* done: every request answered (or 30 s past the schedule), then 1 s for the last events */
            if (!req_drained_at && req_dispatched == req_total &&
                (http_in_flight() == 0 || t > req_start_mono + (int64_t)((req_seconds + 30) * 1e9)))
                req_drained_at = t;
            if (req_drained_at && t - req_drained_at > 1000000000LL && duration <= 0) break;
        }
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
        poll_once(req_lines && !req_drained_at ? 1 : 5);
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
    if (nports > 1) {
        printf(",\"by_port\":[");
        for (int g = 0; g < nports; g++) {
            qsort(glat[g], glat_n[g], sizeof *glat[g], cmp_u32);
            printf("%s{\"port\":%d,\"deliveries\":%zu,\"p50_us\":%.0f,\"p99_us\":%.0f,\"max_us\":%.0f}", g ? "," : "", ports[g], glat_n[g],
                   pct(glat[g], glat_n[g], 0.5), pct(glat[g], glat_n[g], 0.99), pct(glat[g], glat_n[g], 1.0));
        }
        printf("]");
    }
    if (req_lines) {
        double span = req_total ? (double)req_total / req_rate : 0;
        qsort(req_lat, req_lat_n, sizeof *req_lat, cmp_u32);
        printf(",\"requests\":{\"offered\":%lld,\"rate\":%.1f,\"sent\":%lld,\"ok\":%lld,\"errors\":%lld,\"late\":%lld,"
               "\"status_2xx\":%lld,\"status_4xx\":%lld,\"status_5xx\":%lld,\"ok_per_s\":%.1f,"
               "\"answer_p50_ms\":%.2f,\"answer_p99_ms\":%.2f,\"answer_max_ms\":%.2f}",
               (long long)req_total, req_rate, (long long)req_dispatched, (long long)req_ok, (long long)req_errors, (long long)req_late,
               (long long)req_status[2], (long long)req_status[4], (long long)req_status[5], span > 0 ? (double)req_ok / span : 0,
               pct(req_lat, req_lat_n, 0.5) / 1000, pct(req_lat, req_lat_n, 0.99) / 1000, pct(req_lat, req_lat_n, 1.0) / 1000);
    }
    if (tally_mode && reached) {
        /* Staleness of vote k at viewer v: from k's scheduled send time until v first held a
         * tally >= the count k's answer reported. Per (viewer, vote) in a 10 µs histogram; per
         * vote also the slowest viewer ("all viewers up to date"). */
        const size_t buckets = 6000000; /* 10 µs up to 60 s */
        uint32_t *hist = calloc(buckets + 1, sizeof *hist);
        uint32_t *all = calloc((size_t)req_total + 1, sizeof *all);
        size_t nall = 0;
        uint64_t samples = 0, lost = 0, counted_votes = 0;
        int32_t server_count = 0;
        for (int64_t k = 0; k < req_total; k++) {
            int32_t cnt = req_count[k];
            if (cnt > server_count) server_count = cnt;
            if (cnt < 1 || cnt >= tally_cap) continue;
            counted_votes++;
            int64_t sched = (req_sched_mono[k] - tally_base) / 1000;
            uint32_t worst = 0;
            int missing = 0;
            for (int v = 0; v < nconns; v++) {
                if (conns[v].state != OPEN) continue;
                uint32_t r = reached[(size_t)v * (size_t)tally_cap + (size_t)cnt];
                if (!r) { lost++; missing = 1; continue; }
                int64_t st = (int64_t)r - sched;
                if (st < 0) st = 0;
                size_t b = (size_t)(st / 10);
                hist[b > buckets ? buckets : b]++;
                samples++;
                if ((uint32_t)st > worst) worst = (uint32_t)st;
            }
            if (!missing) all[nall++] = worst;
        }
        double hp[3] = {0.5, 0.99, 1.0}, hv[3] = {-1, -1, -1};
        for (int i = 0; i < 3; i++) {
            uint64_t target = (uint64_t)(hp[i] * (double)(samples ? samples - 1 : 0)), seen = 0;
            for (size_t b = 0; b <= buckets && samples; b++) {
                seen += hist[b];
                if (seen > target) { hv[i] = (double)b * 10; break; }
            }
        }
        qsort(all, nall, sizeof *all, cmp_u32);
        int64_t final_min = -1, final_max = -1;
        int viewers = 0, behind = 0;
        for (int v = 0; v < nconns; v++) {
            if (conns[v].state != OPEN) continue;
            viewers++;
            int64_t m = conns[v].max_tally;
            if (final_min < 0 || m < final_min) final_min = m;
            if (m > final_max) final_max = m;
            if (m < server_count) behind++;
        }
        printf(",\"tally\":{\"viewers\":%d,\"votes_counted\":%llu,\"samples\":%llu,\"lost_samples\":%llu,"
               "\"stale_p50_ms\":%.2f,\"stale_p99_ms\":%.2f,\"stale_max_ms\":%.2f,"
               "\"all_viewers_p50_ms\":%.2f,\"all_viewers_p99_ms\":%.2f,\"all_viewers_max_ms\":%.2f,"
               "\"highest_count_answered\":%d,\"final_tally_min\":%lld,\"final_tally_max\":%lld,\"viewers_behind\":%d}",
               viewers, (unsigned long long)counted_votes, (unsigned long long)samples, (unsigned long long)lost,
               hv[0] / 1000, hv[1] / 1000, hv[2] / 1000, pct(all, nall, 0.5) / 1000, pct(all, nall, 0.99) / 1000, pct(all, nall, 1.0) / 1000,
               server_count, (long long)final_min, (long long)final_max, behind);
    }
    printf("}\n");
    return 0;
}
