package dev.meadow.service.models;

/** A stand-in for a loaded model that records its closing, for tests of the model holders. */
final class FakeModel implements AutoCloseable {

    final String id;
    boolean closed;

    FakeModel(String id) {
        this.id = id;
    }

    @Override
    public void close() {
        closed = true;
    }
}
