#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE flags: ask for the wide-character API here.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <ncurses.h>

// Macros Swift cannot import, as functions.
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline int cn_key_f(int n) { return KEY_F(n); }

// The current screen's standard window (the global `stdscr` is off-limits in Swift 6).
static inline WINDOW *cn_stdscr(void) { return stdscr; }
// The locale's character set name after setlocale (CODESET is an enum constant Swift cannot name).
static inline const char *cn_codeset(void) { return nl_langinfo(CODESET); }
// How many characters one cchar_t holds (a spacing character plus combining marks).
static inline int cn_ccharw_max(void) { return CCHARW_MAX; }

// Signal restore: give the terminal back (endwin on the current screen, harmless when there is
// none), then die of the same signal with its default action so the shell sees 128+sig.
// endwin is not on POSIX's async-signal-safe list; ncurses programs commonly call it from
// handlers anyway, because a process killed mid-UI otherwise leaves the tty raw and on the
// alternate screen. The risk is limited: the process exits right after.
static inline void cn_restore_signal_handler(int sig) {
    endwin();
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t pending;
    sigemptyset(&pending);
    sigaddset(&pending, sig);
    sigprocmask(SIG_UNBLOCK, &pending, NULL); // blocked while its handler runs
    raise(sig);
    _exit(128 + sig);
}

// Ctrl-Z (raw mode reads it as a key): give the terminal back and stop as the tty's suspend
// character would, SIGTSTP to the whole foreground process group (a wrapper script stops too,
// so the shell sees the job stopped), with its default action whatever handler ncurses
// installed; returns once the shell continues the job (SIGCONT, `fg`). The caller redraws.
static inline void cn_suspend(void) {
    endwin();
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    sigset_t tstp;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);
    kill(0, SIGTSTP);          // stopped here until SIGCONT
    sigaction(SIGTSTP, &old, NULL);
}

// Installs cn_restore_signal_handler for `sig`; returns 0 on success.
static inline int cn_install_restore_handler(int sig) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = cn_restore_signal_handler;
    sigemptyset(&act.sa_mask);
    return sigaction(sig, &act, NULL);
}

// Whether `sig` currently has a handler other than the default or ignore action.
static inline int cn_signal_has_handler(int sig) {
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) return 0;
    return cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN;
}
#endif
