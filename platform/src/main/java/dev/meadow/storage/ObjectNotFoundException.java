package dev.meadow.storage;

/** The bucket or key does not exist. */
public class ObjectNotFoundException extends ObjectStoreException {

    public ObjectNotFoundException(String bucket, String key) {
        super("no object " + key + " in bucket " + bucket);
    }
}
