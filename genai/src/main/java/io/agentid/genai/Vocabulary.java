package io.agentid.genai;

import com.knuddels.jtokkit.api.Encoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A byte pair encoding vocabulary (a {@code .tiktoken} file: one {@code base64-token rank} line per token), read
 * from jtokkit's own resource, and the byte pair merge over it: the number of tokens a piece of UTF-8 bytes
 * encodes to.
 *
 * <p>The tokens live in one byte array with an offset table, and an open-addressing hash table of token indices
 * keyed by the token's bytes finds the rank of any byte range without allocating (jtokkit wraps every piece and
 * every candidate pair in a new object and looks it up in a {@code HashMap}). About 6 MB for o200k_base, against
 * several times that for jtokkit's maps.
 *
 * <p>The merge is tiktoken's (and jtokkit's): start from single bytes and repeatedly join the adjacent pair whose
 * concatenation has the lowest rank, the leftmost one on ties, until no adjacent pair is a token. Small pieces use
 * the array scan tiktoken uses; long ones a heap ordered by (rank, position), which picks the same pair at every
 * step and keeps long pieces (a run of CJK letters is a single piece) from costing quadratic time. Immutable and
 * thread-safe; scratch space is per call ({@link Scratch}).
 */
final class Vocabulary {
    /** The rank of a byte range that is not a token. */
    static final int NONE = Integer.MAX_VALUE;
    /** Pieces up to this many bytes merge by array scan, longer ones with the heap. */
    static final int SCAN_LIMIT = 64;

    private static final int FNV_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    final String resource;
    private final byte[] bytes;
    private final int[] offsets;
    private final int[] ranks;
    private final int[] hashes;
    private final int[] slots;
    private final int mask;
    /** Tokens of at most {@value #SHORT} bytes, keyed by {@link #key}: one probe and one compare per lookup. */
    private final long[] shortKeys;
    private final int[] shortRanks;
    private final int shortShift;
    /** Every single byte is a token (true of all OpenAI vocabularies), so a one-byte piece is one token. */
    final boolean allBytes;

    private Vocabulary(String resource, byte[] bytes, int[] offsets, int[] ranks, int size) {
        this.resource = resource;
        this.bytes = bytes;
        this.offsets = offsets;
        this.ranks = ranks;
        this.hashes = new int[size];
        int shortCount = 0;
        for (int t = 0; t < size; t++) {
            if (offsets[t + 1] - offsets[t] <= SHORT) {
                shortCount++;
            }
        }
        int shortCapacity = Integer.highestOneBit(Math.max(shortCount, 1) * 2 - 1) << 1;
        this.shortKeys = new long[shortCapacity];
        this.shortRanks = new int[shortCapacity];
        this.shortShift = 64 - Integer.numberOfTrailingZeros(shortCapacity);
        int capacity = Integer.highestOneBit(Math.max(size - shortCount, 1) * 2 - 1) << 1; // load <= 0.5
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int t = 0; t < size; t++) {
            int o = offsets[t];
            int len = offsets[t + 1] - o;
            if (len <= SHORT) {
                long k = key(bytes, o, len);
                int s = slot(k);
                while (shortKeys[s] != 0) {
                    s = (s + 1) & (shortCapacity - 1);
                }
                shortKeys[s] = k;
                shortRanks[s] = ranks[t];
                continue;
            }
            int h = hash(bytes, o, len);
            hashes[t] = h;
            int s = mix(h) & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = t + 1;
        }
        boolean all = true;
        byte[] one = new byte[1];
        for (int b = 0; b < 256 && all; b++) {
            one[0] = (byte) b;
            all = rank(one, 0, 1) != NONE;
        }
        this.allBytes = all;
    }

    /** Reads a {@code .tiktoken} resource of jtokkit's jar, e.g. {@code /com/knuddels/jtokkit/o200k_base.tiktoken}. */
    static Vocabulary load(String resource) {
        byte[] file;
        try (InputStream in = Encoding.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("jtokkit resource " + resource + " not found");
            }
            file = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading jtokkit resource " + resource, e);
        }
        int lines = 0;
        for (byte b : file) {
            if (b == '\n') {
                lines++;
            }
        }
        lines++;
        byte[] bytes = new byte[file.length / 4 * 3 + 3];
        int[] offsets = new int[lines + 1];
        int[] ranks = new int[lines];
        int size = 0;
        int pos = 0;
        for (int i = 0; i < file.length; ) {
            int eol = i;
            while (eol < file.length && file[eol] != '\n') {
                eol++;
            }
            int space = i;
            while (space < eol && file[space] != ' ') {
                space++;
            }
            if (space > i && space < eol) {
                offsets[size] = pos;
                pos = decodeBase64(file, i, space, bytes, pos, resource);
                int rank = 0;
                for (int j = space + 1; j < eol && file[j] != '\r'; j++) {
                    int d = file[j] - '0';
                    if (d < 0 || d > 9) {
                        throw new IllegalStateException("bad rank in " + resource + " at byte " + j);
                    }
                    rank = rank * 10 + d;
                }
                ranks[size++] = rank;
            }
            i = eol + 1;
        }
        offsets[size] = pos;
        return new Vocabulary(resource, Arrays.copyOf(bytes, pos), Arrays.copyOf(offsets, size + 1),
                Arrays.copyOf(ranks, size), size);
    }

    private static final byte[] BASE64 = new byte[128];

    static {
        Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static int decodeBase64(byte[] src, int from, int to, byte[] dst, int pos, String resource) {
        int bits = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            int c = src[i];
            if (c == '=') {
                break;
            }
            int v = c < 0 ? -1 : BASE64[c];
            if (v < 0) {
                throw new IllegalStateException("bad base64 in " + resource + " at byte " + i);
            }
            bits = bits << 6 | v;
            n += 6;
            if (n >= 8) {
                n -= 8;
                dst[pos++] = (byte) (bits >>> n);
            }
        }
        return pos;
    }

    /** Tokens up to this many bytes are in the short table. */
    static final int SHORT = 7;

    /** A key for up to {@value #SHORT} bytes: the bytes, little-endian, and the length in the top byte (so never 0). */
    static long key(byte[] b, int off, int len) {
        long k = (long) len << 56;
        for (int i = 0; i < len; i++) {
            k |= (long) (b[off + i] & 0xff) << (8 * i);
        }
        return k;
    }

    private int slot(long key) {
        return (int) ((key * 0x9e3779b97f4a7c15L) >>> shortShift);
    }

    /** The rank of the token whose {@link #key} is {@code key}, or {@link #NONE}. */
    int shortRank(long key) {
        long[] keys = shortKeys;
        int m = keys.length - 1;
        for (int s = slot(key); ; s = (s + 1) & m) {
            long k = keys[s];
            if (k == key) {
                return shortRanks[s];
            }
            if (k == 0) {
                return NONE;
            }
        }
    }

    /** The number of tokens. */
    int size() {
        return ranks.length;
    }

    /** FNV-1a over the bytes. */
    static int hash(byte[] b, int off, int len) {
        int h = FNV_BASIS;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ (b[i] & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    /** The rank of the token {@code b[off, off + len)}, or {@link #NONE}. */
    int rank(byte[] b, int off, int len) {
        return len <= SHORT ? shortRank(key(b, off, len)) : rank(b, off, len, hash(b, off, len));
    }

    private int rank(byte[] b, int off, int len, int h) {
        int s = mix(h) & mask;
        for (int t; (t = slots[s]) != 0; s = (s + 1) & mask) {
            t--;
            if (hashes[t] == h) {
                int o = offsets[t];
                if (offsets[t + 1] - o == len && equal(b, off, o, len)) {
                    return ranks[t];
                }
            }
        }
        return NONE;
    }

    private boolean equal(byte[] b, int off, int o, int len) {
        byte[] v = bytes;
        for (int i = 0; i < len; i++) {
            if (v[o + i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** Per-call scratch arrays, grown as needed; not shared between threads. */
    static final class Scratch {
        int[] a = new int[SCAN_LIMIT + 1];
        int[] b = new int[SCAN_LIMIT + 1];
        int[] c;
        long[] heap;
    }

    /** The number of tokens of the piece {@code b[off, off + len)} ({@code len > 0}). */
    int count(byte[] b, int off, int len, Scratch scratch) {
        if (len == 1 && allBytes) {
            return 1;
        }
        if (rank(b, off, len) != NONE) {
            return 1;
        }
        return merge(b, off, len, scratch);
    }

    /** {@link #count} for a piece known not to be a single token. */
    int merge(byte[] b, int off, int len, Scratch scratch) {
        return len <= SCAN_LIMIT ? mergeScan(b, off, len, scratch) : mergeHeap(b, off, len, scratch);
    }

    /**
     * tiktoken's {@code _byte_pair_merge}: {@code pos[i]} is where part {@code i} starts ({@code pos[parts]} the
     * end), {@code pair[i]} the rank of parts {@code i} and {@code i + 1} joined.
     */
    int mergeScan(byte[] b, int off, int len, Scratch scratch) {
        int[] pos = scratch.a;
        int[] pair = scratch.b;
        if (pos.length < len + 1) {
            pos = scratch.a = new int[len + 1];
            pair = scratch.b = new int[len + 1];
        }
        int parts = len;
        for (int i = 0; i <= len; i++) {
            pos[i] = off + i;
        }
        for (int i = 0; i < parts - 1; i++) {
            pair[i] = rank(b, pos[i], 2);
        }
        while (parts > 1) {
            int min = NONE;
            int at = -1;
            for (int i = 0; i < parts - 1; i++) {
                if (pair[i] < min) {
                    min = pair[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            // Join parts at and at + 1: drop the start of part at + 1 and the rank of the pair it began.
            System.arraycopy(pos, at + 2, pos, at + 1, parts - at - 1);
            if (parts - at - 3 > 0) {
                System.arraycopy(pair, at + 2, pair, at + 1, parts - at - 3);
            }
            parts--;
            if (at < parts - 1) {
                pair[at] = rank(b, pos[at], pos[at + 2] - pos[at]);
            }
            if (at > 0) {
                pair[at - 1] = rank(b, pos[at - 1], pos[at + 1] - pos[at - 1]);
            }
        }
        return parts;
    }

    /**
     * The same merge for long pieces: parts are a linked list (by the offset where each starts), and a binary heap
     * of (rank, start) holds every pair; an entry is stale when its part is gone or its pair has changed (a pair
     * only ever grows, and distinct byte strings have distinct ranks, so a changed pair has a different rank).
     */
    int mergeHeap(byte[] b, int off, int len, Scratch scratch) {
        if (scratch.c == null || scratch.c.length < len + 1) {
            scratch.a = new int[len + 1];
            scratch.b = new int[len + 1];
            scratch.c = new int[len + 1];
            scratch.heap = new long[3 * len + 3];
        }
        int[] next = scratch.a;
        int[] prev = scratch.b;
        int[] pair = scratch.c;
        long[] heap = scratch.heap;
        int size = 0;
        for (int k = 0; k < len; k++) {
            next[k] = k + 1;
            prev[k] = k - 1;
        }
        for (int k = 0; k < len; k++) {
            int r = k + 1 < len ? rank(b, off + k, 2) : NONE;
            pair[k] = r;
            if (r != NONE) {
                size = push(heap, size, (long) r << 32 | k);
            }
        }
        int parts = len;
        while (size > 0) {
            long top = heap[0];
            size = pop(heap, size);
            int k = (int) top;
            if (pair[k] != (int) (top >>> 32)) {
                continue;
            }
            int gone = next[k];
            int after = next[gone];
            next[k] = after;
            if (after < len) {
                prev[after] = k;
            }
            pair[gone] = -1;
            parts--;
            int r = after < len ? rank(b, off + k, next[after] - k) : NONE;
            pair[k] = r;
            if (r != NONE) {
                size = push(heap, size, (long) r << 32 | k);
            }
            int p = prev[k];
            if (p >= 0) {
                r = rank(b, off + p, after - p);
                pair[p] = r;
                if (r != NONE) {
                    size = push(heap, size, (long) r << 32 | p);
                }
            }
        }
        return parts;
    }

    private static int push(long[] heap, int size, long v) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        size--;
        long v = heap[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
        return size;
    }
}
