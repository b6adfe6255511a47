package dev.pier.monitor.feedback;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.monitor.InferenceTap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the last {@code capacity} answered requests predicted, by request id, so that feedback arriving later
 * can be joined to them. Fed by every request (it is an {@link InferenceTap}), not only the sampled ones the
 * prediction log writes. Bounded: a ring of the newest entries, the oldest forgotten first. Requests whose output
 * does not read as a classification are not kept.
 *
 * <p>Why columns and no object per entry: every answer lands here and stays for the next {@code capacity}
 * answers, so whatever an entry holds outlives the young collections and is copied by each of them. With an
 * object per entry (a record, its map node, the id string, a class array and a flag) the default window cost a busy
 * server about a quarter of its CPU per request, which turning the window off or keeping columns gave back
 * (docs/benchmarks.md, "Feedback window"). Here an entry is a
 * slot in primitive arrays allocated up front (about 100 bytes per entry with the id index): the id's characters
 * go into a byte slab when they are ISO-8859-1 and at most {@link #ID_WIDTH} long (a UUID is 36), the model is a
 * small number, and only a longer id or a request of several rows keeps an object.
 *
 * <p>Thread-safe: one short critical section per answer (a slot write and an index update, no allocation,
 * no waiting inside), and one per feedback lookup.
 */
public final class RecentPredictions implements InferenceTap {
    /** Characters of an id kept in the slab; longer ids are kept as strings. */
    static final int ID_WIDTH = 40;
    /** The largest window: its arrays, allocated up front, take about 1.7 GB. */
    static final int MAX_CAPACITY = 1 << 24;

    /**
     * One remembered answer, as read at one moment. {@code classes} has one predicted class per row of the
     * request; {@code sequence} tells this answer from a later one in the same slot.
     */
    public record Prediction(String id, String model, long version, int[] classes, long sequence) {}

    private final int capacity;
    // the ring, one column per field; an answer's slot is its sequence modulo the capacity. Guarded by this.
    private final long[] sequences; // sequence + 1 of the answer in the slot, 0 when empty
    private final byte[] idChars; // ID_WIDTH per slot
    private final byte[] idLengths; // -1: the id is in longIds
    private final String[] longIds;
    /** Each slot's id's {@link String#hashCode}: probes and deletions compare and place by it without reading the slab. */
    private final int[] idHashes;

    private final int[] modelNumbers;
    private final long[] versions;
    private final int[] firstClasses;
    private final int[][] manyClasses; // null where the request had one row
    private final boolean[] labelled;
    private final List<String> models = new ArrayList<>();
    // ids to slots: open addressing with linear probing, slot + 1 per cell (0 empty), at most half full
    private final int[] index;
    private long next;

    public RecentPredictions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "the feedback window (--feedback-window) must be at least 1 request (0 turns feedback off), got "
                            + capacity);
        }
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("the feedback window (--feedback-window) holds at most " + MAX_CAPACITY
                    + " requests, got " + capacity);
        }
        this.capacity = capacity;
        sequences = new long[capacity];
        idChars = new byte[capacity * ID_WIDTH];
        idLengths = new byte[capacity];
        longIds = new String[capacity];
        idHashes = new int[capacity];
        modelNumbers = new int[capacity];
        versions = new long[capacity];
        firstClasses = new int[capacity];
        manyClasses = new int[capacity][];
        labelled = new boolean[capacity];
        index = new int[Integer.highestOneBit(capacity) << 2];
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public void onInference(InferRequest request, InferResponse response) {
        int[] classes = PredictedClasses.of(response);
        if (classes != null && request.id() != null) {
            put(request.id(), response.model(), response.version(), classes);
        }
    }

    synchronized void put(String id, String model, long version, int[] classes) {
        long sequence = next++;
        int slot = (int) (sequence % capacity);
        if (sequences[slot] != 0 && isIndexed(slot)) {
            unindex(slot); // the oldest answer is forgotten; put overwrites every column of its slot below
        }
        int hash = id.hashCode();
        int existing = slotOf(id, hash);
        if (existing >= 0) {
            // a client reusing an id: the newer answer is the one feedback joins
            unindex(existing);
        }
        sequences[slot] = sequence + 1;
        storeId(slot, id, hash);
        modelNumbers[slot] = modelNumber(model);
        versions[slot] = version;
        firstClasses[slot] = classes.length == 0 ? -1 : classes[0];
        manyClasses[slot] = classes.length == 1 ? null : classes;
        labelled[slot] = false;
        int cell = cellOf(hash);
        while (index[cell] != 0) {
            cell = (cell + 1) & (index.length - 1);
        }
        index[cell] = slot + 1;
    }

    public synchronized Optional<Prediction> find(String id) {
        int slot = slotOf(id, id.hashCode());
        if (slot < 0) {
            return Optional.empty();
        }
        int[] classes = manyClasses[slot] != null ? manyClasses[slot].clone() : new int[] {firstClasses[slot]};
        return Optional.of(
                new Prediction(id, models.get(modelNumbers[slot]), versions[slot], classes, sequences[slot]));
    }

    /** Whether the answer is still remembered and has its feedback. */
    public synchronized boolean isLabelled(Prediction p) {
        int slot = (int) ((p.sequence() - 1) % capacity);
        return sequences[slot] == p.sequence() && labelled[slot];
    }

    /** Marks the answer labelled; false when it already was (or has been forgotten since it was read). */
    public synchronized boolean markLabelled(Prediction p) {
        int slot = (int) ((p.sequence() - 1) % capacity);
        if (sequences[slot] != p.sequence() || labelled[slot]) {
            return false;
        }
        labelled[slot] = true;
        return true;
    }

    /** The slot of the newest answer to {@code id}, or -1. */
    private int slotOf(String id, int hash) {
        for (int cell = cellOf(hash); index[cell] != 0; cell = (cell + 1) & (index.length - 1)) {
            int slot = index[cell] - 1;
            if (idHashes[slot] == hash && idEquals(slot, id)) {
                return slot;
            }
        }
        return -1;
    }

    /** Whether the slot's id is in the index: unindex marks it out (a reused id points at the newer slot). */
    private boolean isIndexed(int slot) {
        return longIds[slot] != null || idLengths[slot] >= 0;
    }

    /** Takes the slot's id out of the index if it points at this slot (a reused id may point at a newer one). */
    private void unindex(int slot) {
        int mask = index.length - 1;
        int cell = cellOf(idHashes[slot]);
        while (index[cell] != 0 && index[cell] != slot + 1) {
            cell = (cell + 1) & mask;
        }
        if (index[cell] == 0) {
            return;
        }
        // backward-shift deletion: move later cells of the run up so that no probe stops at a hole too early
        int hole = cell;
        for (int probe = (hole + 1) & mask; index[probe] != 0; probe = (probe + 1) & mask) {
            int home = cellOf(idHashes[index[probe] - 1]);
            // the entry at probe may fill the hole if its home cell is not cyclically in (hole, probe]
            if (((probe - home) & mask) >= ((probe - hole) & mask)) {
                index[hole] = index[probe];
                hole = probe;
            }
        }
        index[hole] = 0;
        idLengths[slot] = -1;
        longIds[slot] = null;
    }

    private void storeId(int slot, String id, int hash) {
        idHashes[slot] = hash;
        int n = id.length();
        boolean fits = n <= ID_WIDTH;
        for (int i = 0; fits && i < n; i++) {
            fits = id.charAt(i) < 256;
        }
        if (fits) {
            int base = slot * ID_WIDTH;
            for (int i = 0; i < n; i++) {
                idChars[base + i] = (byte) id.charAt(i);
            }
            idLengths[slot] = (byte) n;
            longIds[slot] = null;
        } else {
            idLengths[slot] = -1;
            longIds[slot] = id;
        }
    }

    private boolean idEquals(int slot, String id) {
        if (longIds[slot] != null) {
            return longIds[slot].equals(id);
        }
        int n = idLengths[slot];
        if (n != id.length()) {
            return false;
        }
        int base = slot * ID_WIDTH;
        for (int i = 0; i < n; i++) {
            if ((idChars[base + i] & 0xff) != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int cellOf(int hash) {
        int spread = hash * 0x9E3779B9;
        return (spread ^ (spread >>> 16)) & (index.length - 1);
    }

    private int modelNumber(String model) {
        int n = models.indexOf(model);
        if (n < 0) {
            models.add(model);
            n = models.size() - 1;
        }
        return n;
    }
}
