/* Unit tests: the per-document supervisor (src/cli/supervise.c), with real
 * child processes: results, crashes, time limits, and failures to collect
 * a result, each reported as what it is. */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dc_test.h"
#include "supervise.h"

static int writes_hello(void *payload, int fd)
{
    (void)payload;
    return cli_write_fd(fd, "hello", 5) == 0 ? 3 : 100;
}

static int crashes(void *payload, int fd)
{
    (void)payload;
    (void)fd;
    (void)signal(SIGSEGV, SIG_DFL); /* cmocka catches it in the test process */
    (void)raise(SIGSEGV);
    return 0;
}

static int sleeps(void *payload, int fd)
{
    (void)payload;
    (void)fd;
    (void)sleep(10);
    return 0;
}

#ifndef DC_NO_RLIMIT_AS
/* Writes *(size_t *)payload bytes. */
static int writes_much(void *payload, int fd)
{
    static char chunk[1 << 16];
    size_t left = *(size_t *)payload;

    memset(chunk, 'x', sizeof(chunk));
    while (left) {
        size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
        if (cli_write_fd(fd, chunk, n) < 0)
            return 1;
        left -= n;
    }
    return 0;
}
#endif

static int poll_fails(struct pollfd *fds, nfds_t n, int ms)
{
    (void)fds;
    (void)n;
    (void)ms;
    errno = ENOMEM;
    return -1;
}

static void result_and_exit_code(void **state)
{
    cli_limits lim = {10.0, 0};
    char *out = NULL, msg[256];
    size_t len = 0;

    (void)state;
    assert_int_equal(cli_supervise(&lim, writes_hello, NULL, &out, &len, msg, sizeof(msg)), 3);
    assert_int_equal(len, 5);
    assert_string_equal(out, "hello");
    assert_string_equal(msg, "");
    free(out);
}

static void crash_and_timeout(void **state)
{
    cli_limits lim = {10.0, 0}, quick = {0.2, 0};
    char *out = NULL, msg[256];
    size_t len = 0;

    (void)state;
    assert_int_equal(cli_supervise(&lim, crashes, NULL, &out, &len, msg, sizeof(msg)), DC_ECRASH);
    assert_true(dc_test_contains(msg, "worker crashed (signal 11"));
    assert_null(out);
    assert_int_equal(cli_supervise(&quick, sleeps, NULL, &out, &len, msg, sizeof(msg)),
                     DC_ETIMEOUT);
    assert_true(dc_test_contains(msg, "time limit"));
}

/* poll failing is not a crash of the worker (it was "worker crashed
 * (signal 9)", the signal the supervisor itself sent). */
static void poll_failure_is_said(void **state)
{
    cli_limits lim = {10.0, 0};
    char *out = NULL, msg[256];
    size_t len = 0;
    int rc;

    (void)state;
    cli__poll = poll_fails;
    rc = cli_supervise(&lim, writes_hello, NULL, &out, &len, msg, sizeof(msg));
    cli__poll = poll;
    assert_int_equal(rc, DC_ERROR);
    assert_null(out);
    assert_true(dc_test_contains(msg, "poll: "));
    assert_true(dc_test_contains(msg, strerror(ENOMEM)));
    assert_false(dc_test_contains(msg, "crashed"));
}

/* The supervisor runs out of memory collecting a 200 MB result (its
 * address space capped in a child of the test): said as such, not as a
 * result over the 1 GB cap. */
static void collect_out_of_memory_is_said(void **state)
{
#ifdef DC_NO_RLIMIT_AS
    (void)state;
    print_message("skipped: address-space caps do not work under AddressSanitizer\n");
    skip();
#else
    int pipefd[2], status = 0;
    pid_t pid;
    char msg[256] = "";
    ssize_t got;

    (void)state;
    assert_int_equal(pipe(pipefd), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cli_limits lim = {30.0, 0};
        size_t much = (size_t)200 << 20;
        struct rlimit rl;
        char *out = NULL;
        size_t len = 0;
        int rc;
        FILE *f = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (!f || fscanf(f, "%lu", &pages) != 1)
            _exit(90);
        (void)fclose(f);
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (64u << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(91);
        rc = cli_supervise(&lim, writes_much, &much, &out, &len, msg, sizeof(msg));
        (void)!write(pipefd[1], msg, strlen(msg));
        _exit(rc == DC_ENOMEM ? 0 : 92);
    }
    close(pipefd[1]);
    got = read(pipefd[0], msg, sizeof(msg) - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(pipefd[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    print_message("supervisor capped: %s\n", msg);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(dc_test_contains(msg, "out of memory collecting the worker's result"));
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(result_and_exit_code),
        cmocka_unit_test(crash_and_timeout),
        cmocka_unit_test(poll_failure_is_said),
        cmocka_unit_test(collect_out_of_memory_is_said),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
