package dev.meadow.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import okhttp3.OkHttpClient;

/**
 * Meadow's S3 client: the MinIO Java client with the few operations the services need, each failing with an
 * {@link ObjectStoreException} that names what it was doing. Retries belong to the callers (see the services'
 * fault-tolerance policies), so that a store that is down delays work instead of hiding it.
 */
public final class ObjectStore implements AutoCloseable {

    private static final long PART_SIZE = 16L * 1024 * 1024;

    /** Objects transferred at once by the directory operations. */
    private static final int TRANSFERS = 8;

    private final MinioClient client;
    /** Signs URLs for the address browsers use; signing is local, so this client never connects. */
    private final MinioClient presigner;

    private final OkHttpClient http;
    private final StorageLayout layout;

    public ObjectStore(ObjectStoreSettings settings) {
        this.layout = new StorageLayout(settings.bucketPrefix());
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofMinutes(2))
                .writeTimeout(Duration.ofMinutes(2))
                .build();
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http)
                .build();
        this.presigner =
                settings.publicEndpoint() == null || settings.publicEndpoint().isBlank()
                        ? client
                        : MinioClient.builder()
                                .endpoint(settings.publicEndpoint())
                                .region(settings.region())
                                .credentials(settings.accessKey(), settings.secretKey())
                                .httpClient(http)
                                .build();
    }

    public StorageLayout layout() {
        return layout;
    }

    public String bucket(Bucket bucket) {
        return layout.bucket(bucket);
    }

    /** Creates every Meadow bucket that does not exist yet. */
    public void ensureBuckets() {
        for (Bucket bucket : Bucket.values()) {
            String name = layout.bucket(bucket);
            call("create bucket " + name, () -> {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
                    try {
                        client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
                    } catch (ErrorResponseException e) {
                        // Created concurrently by another service.
                        if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                            throw e;
                        }
                    }
                }
                return null;
            });
        }
    }

    /** Whether the store answers an authenticated request right now. */
    public boolean isReachable(Bucket bucket) {
        try {
            return client.bucketExists(
                    BucketExistsArgs.builder().bucket(layout.bucket(bucket)).build());
        } catch (Exception e) {
            return false;
        }
    }

    public void put(Bucket bucket, String key, byte[] data, String contentType) {
        put(bucket, key, data, contentType, Map.of());
    }

    /** Writes (or overwrites) an object, with optional user metadata ({@code x-amz-meta-*}). */
    public void put(Bucket bucket, String key, byte[] data, String contentType, Map<String, String> userMetadata) {
        String name = layout.bucket(bucket);
        call(
                "put " + name + "/" + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(name).object(key).stream(
                                new ByteArrayInputStream(data), data.length, -1)
                        .contentType(contentType)
                        .userMetadata(userMetadata)
                        .build()));
    }

    /** Streams a file of any size into the store (multipart above the part size). */
    public void putFile(Bucket bucket, String key, Path file, String contentType) {
        String name = layout.bucket(bucket);
        call("put " + name + "/" + key + " from " + file, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return client.putObject(
                        PutObjectArgs.builder().bucket(name).object(key).stream(in, Files.size(file), PART_SIZE)
                                .contentType(contentType)
                                .build());
            }
        });
    }

    /** Streams from a source of unknown length. */
    public void putStream(Bucket bucket, String key, InputStream in, String contentType) {
        String name = layout.bucket(bucket);
        call(
                "put " + name + "/" + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(name).object(key).stream(in, -1, PART_SIZE)
                        .contentType(contentType)
                        .build()));
    }

    public byte[] get(Bucket bucket, String key) {
        try (InputStream in = open(bucket, key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ObjectStoreException("read " + layout.bucket(bucket) + "/" + key + " failed", e);
        }
    }

    /** Opens an object for streaming; the caller closes the stream. */
    public InputStream open(Bucket bucket, String key) {
        String name = layout.bucket(bucket);
        return call("get " + name + "/" + key, () -> {
            try {
                return client.getObject(
                        GetObjectArgs.builder().bucket(name).object(key).build());
            } catch (ErrorResponseException e) {
                throw notFoundOr(e, name, key);
            }
        });
    }

    public boolean exists(Bucket bucket, String key) {
        String name = layout.bucket(bucket);
        return call("stat " + name + "/" + key, () -> {
            try {
                client.statObject(
                        StatObjectArgs.builder().bucket(name).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if (isNotFound(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Every object under a prefix (recursively), in key order. */
    public List<StoredObject> list(Bucket bucket, String prefix) {
        String name = layout.bucket(bucket);
        return call("list " + name + "/" + prefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(name)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    objects.add(new StoredObject(
                            item.objectName(),
                            item.size(),
                            item.lastModified() == null
                                    ? null
                                    : item.lastModified().toInstant()));
                }
            }
            return objects;
        });
    }

    /** Whether presigned URLs are made for a public endpoint of their own, rather than the one services use. */
    public boolean signsForPublicEndpoint() {
        return presigner != client;
    }

    /** A URL that lets anyone GET the object until it expires, at the public endpoint where one is set. */
    public String presignedGet(Bucket bucket, String key, Duration validFor) {
        String name = layout.bucket(bucket);
        return call(
                "presign " + name + "/" + key,
                () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Method.GET)
                        .bucket(name)
                        .object(key)
                        .expiry((int) validFor.toSeconds(), TimeUnit.SECONDS)
                        .build()));
    }

    public void delete(Bucket bucket, String key) {
        String name = layout.bucket(bucket);
        call("delete " + name + "/" + key, () -> {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(name).object(key).build());
            return null;
        });
    }

    /** Uploads every regular file below {@code directory} under {@code prefix}, keeping relative paths. */
    public void uploadDirectory(Path directory, Bucket bucket, String prefix) {
        List<Path> all;
        try (Stream<Path> files = Files.walk(directory)) {
            all = files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ObjectStoreException("upload of " + directory + " failed", e);
        }
        inParallel(
                all,
                file -> putFile(
                        bucket,
                        prefix + directory.relativize(file).toString().replace('\\', '/'),
                        file,
                        "application/octet-stream"));
    }

    /** Downloads one object to a file, replacing it. */
    public void download(Bucket bucket, String key, Path target) {
        try (InputStream in = open(bucket, key)) {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ObjectStoreException("download of " + key + " failed", e);
        }
    }

    /** Downloads the given objects into {@code directory}, each at its key's name relative to {@code prefix}. */
    public void downloadAll(Bucket bucket, String prefix, List<String> relativeKeys, Path directory) {
        inParallel(relativeKeys, relative -> {
            Path target = directory.resolve(relative).normalize();
            if (!target.startsWith(directory)) {
                throw new ObjectStoreException("object key escapes the target directory: " + prefix + relative);
            }
            download(bucket, prefix + relative, target);
        });
    }

    /**
     * Runs {@code action} on every item, {@link #TRANSFERS} at a time: one object at a time leaves the store's and
     * the network's latency unused, and a 100,000-image snapshot took minutes to store.
     */
    private <T> void inParallel(List<T> items, Consumer<T> action) {
        if (items.size() <= 1) {
            items.forEach(action);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(TRANSFERS, items.size()), r -> {
            Thread thread = new Thread(r, "object-store-transfer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>(items.size());
            for (T item : items) {
                running.add(pool.submit(() -> action.accept(item)));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ObjectStoreException("transfer failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted during transfers", e);
        } finally {
            pool.shutdownNow();
            try {
                // No transfer may still write into a directory that the caller deletes on failure.
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Downloads every object under {@code prefix} into {@code directory}, recreating relative paths. */
    public void downloadDirectory(Bucket bucket, String prefix, Path directory) {
        List<StoredObject> objects = list(bucket, prefix);
        if (objects.isEmpty()) {
            throw new ObjectNotFoundException(layout.bucket(bucket), prefix + "*");
        }
        downloadAll(
                bucket,
                prefix,
                objects.stream().map(o -> o.key().substring(prefix.length())).toList(),
                directory);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static boolean isNotFound(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code)
                || "NoSuchBucket".equals(code)
                || "NoSuchObject".equals(code)
                || e.response().code() == 404;
    }

    private static Exception notFoundOr(ErrorResponseException e, String bucket, String key) {
        return isNotFound(e) ? new ObjectNotFoundException(bucket, key) : e;
    }

    private interface StoreCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, StoreCall<T> call) {
        try {
            return call.run();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
