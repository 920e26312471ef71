/*
 * A process for the memory module's tests to find: it holds a text marker and a byte pattern in
 * its heap and maps a shared library, then waits to be killed.
 *
 *   probe <marker> <hex bytes> <library path>
 *
 * The heap copy of the marker gets a "-4242" suffix that is not in argv, and the bytes are decoded
 * from hex, so both exist as searched only in memory the process made itself.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile char *marker;
static volatile unsigned char *bytes;

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: probe <marker> <hex bytes> <library>\n");
        return 2;
    }
    size_t n = strlen(argv[1]) + 16;
    marker = malloc(n);
    snprintf((char *) marker, n, "%s-%d", argv[1], 4242);
    size_t len = strlen(argv[2]) / 2;
    bytes = malloc(len);
    for (size_t i = 0; i < len; i++) {
        unsigned int v;
        sscanf(argv[2] + 2 * i, "%2x", &v);
        bytes[i] = (unsigned char) v;
    }
    void *lib = dlopen(argv[3], RTLD_NOW);
    if (lib == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", argv[3], dlerror());
        return 3;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
