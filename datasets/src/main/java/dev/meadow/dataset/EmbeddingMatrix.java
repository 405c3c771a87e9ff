package dev.meadow.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Embeddings of a data set, one row per image or caption, in a small binary format ({@code .emb}): a header
 * ({@code MEMB}, version, rows, dimension, whether owners follow), the rows as little-endian float32, then for
 * caption matrices the index of the image each row describes.
 *
 * @param owners for caption embeddings, the image each row belongs to; null for image embeddings
 */
public record EmbeddingMatrix(int rows, int dimension, float[] values, int[] owners) {

    private static final int MAGIC = 0x424D454D; // "MEMB" little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 20;

    public EmbeddingMatrix {
        if (values.length != (long) rows * dimension) {
            throw new IllegalArgumentException(rows + " x " + dimension + " values expected, got " + values.length);
        }
        if (owners != null && owners.length != rows) {
            throw new IllegalArgumentException("one owner per row expected");
        }
    }

    public float[] row(int i) {
        float[] row = new float[dimension];
        System.arraycopy(values, i * dimension, row, 0, dimension);
        return row;
    }

    /**
     * Writes the same bytes as {@link #toBytes()} a slice at a time, so that a matrix of hundreds of megabytes is
     * never copied whole.
     */
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putInt(rows).putInt(dimension).putInt(owners == null ? 0 : 1);
        out.write(header.array(), 0, header.position());
        ByteBuffer slice = ByteBuffer.allocate(64 * 1024 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += 64 * 1024) {
            int n = Math.min(64 * 1024, values.length - from);
            slice.clear();
            slice.asFloatBuffer().put(values, from, n);
            out.write(slice.array(), 0, n * 4);
        }
        if (owners != null) {
            for (int from = 0; from < owners.length; from += 64 * 1024) {
                int n = Math.min(64 * 1024, owners.length - from);
                slice.clear();
                slice.asIntBuffer().put(owners, from, n);
                out.write(slice.array(), 0, n * 4);
            }
        }
    }

    public byte[] toBytes() {
        int size = HEADER + values.length * 4 + (owners == null ? 0 : owners.length * 4);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(rows).putInt(dimension).putInt(owners == null ? 0 : 1);
        b.asFloatBuffer().put(values);
        b.position(HEADER + values.length * 4);
        if (owners != null) {
            b.asIntBuffer().put(owners);
        }
        return b.array();
    }

    public static EmbeddingMatrix fromBytes(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new InvalidSnapshotException("embedding file is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC) {
            throw new InvalidSnapshotException("not an embedding file (bad magic number)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new InvalidSnapshotException("embedding file version " + version + " is not supported");
        }
        int rows = b.getInt();
        int dimension = b.getInt();
        boolean hasOwners = b.getInt() == 1;
        long expected = HEADER + 4L * rows * dimension + (hasOwners ? 4L * rows : 0);
        if (rows < 0 || dimension < 1 || bytes.length != expected) {
            throw new InvalidSnapshotException("embedding file is truncated or corrupt");
        }
        float[] values = new float[rows * dimension];
        b.asFloatBuffer().get(values);
        int[] owners = null;
        if (hasOwners) {
            owners = new int[rows];
            b.position(HEADER + values.length * 4);
            b.asIntBuffer().get(owners);
        }
        return new EmbeddingMatrix(rows, dimension, values, owners);
    }
}
