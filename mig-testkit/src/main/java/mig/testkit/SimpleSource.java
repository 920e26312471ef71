package mig.testkit;

/**
 * A {@link ServiceSource} made of a description and a function, which is all the built-in sources
 * need.
 */
record SimpleSource<S>(String description, Opener<S> opener) implements ServiceSource<S> {

    /** Opens the service or says why it is not available. */
    @FunctionalInterface
    interface Opener<S> {
        S open() throws Unavailable;
    }

    @Override
    public S open() throws Unavailable {
        return opener.open();
    }
}
