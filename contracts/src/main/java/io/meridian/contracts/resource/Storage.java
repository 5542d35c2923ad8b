package io.meridian.contracts.resource;

import java.util.List;

/** The storage of a PersistentVolume or PersistentVolumeClaim; class and capacity may be unknown. */
public record Storage(String storageClass, Long capacityBytes, List<String> accessModes) {

    public Storage {
        accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    }
}
