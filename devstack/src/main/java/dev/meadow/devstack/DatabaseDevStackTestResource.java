package dev.meadow.devstack;

/** {@link DevStackTestResource} with PostgreSQL as well, for the gateway, whose gallery lives in a database. */
public class DatabaseDevStackTestResource extends DevStackTestResource {

    @Override
    protected boolean withDatabase() {
        return true;
    }
}
