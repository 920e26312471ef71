/* A shared library with a name no other process maps, for the memory module's library check. */
int migprobe(void) {
    return 42;
}
