package io.flakeproof.registry;

import java.util.regex.Pattern;

/**
 * Where a cluster's lease state lives in ZooKeeper:
 * <pre>
 * /flakeproof/&lt;cluster&gt;/layout                persistent: the fleet's layout, epoch, cluster id and floor
 * /flakeproof/&lt;cluster&gt;/ids/&lt;clusterId&gt;         persistent: the cluster id's marker, which every write checks
 * /flakeproof/&lt;cluster&gt;/workers/&lt;dc&gt;/&lt;w&gt;      persistent, never deleted: {holderEpoch, holder, ceilingTick}
 * /flakeproof/&lt;cluster&gt;/owners/&lt;dc&gt;/&lt;w&gt;       ephemeral: the holder's session (a liveness hint only)
 * </pre>
 * Owners sit in one folder per datacenter rather than under each record, so that one
 * {@code getChildren} tells which workers are held: acquiring does not read a thousand nodes.
 *
 * @param cluster the cluster name: letters, digits, '.', '_' and '-'
 */
public record RegistryPaths(String cluster) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RegistryPaths {
        if (cluster == null || !NAME.matcher(cluster).matches() || cluster.equals(".") || cluster.equals("..")) {
            throw new IllegalArgumentException("cluster must be 1 to 64 of [A-Za-z0-9._-]: '" + cluster + "'");
        }
    }

    public String root() {
        return "/flakeproof/" + cluster;
    }

    public String layout() {
        return root() + "/layout";
    }

    /**
     * The marker of cluster id {@code clusterId}: created with the cluster's record, checked by every write
     * of a worker record in the same transaction, so that writes of a wiped registry's holders fail.
     */
    public String clusterMarker(String clusterId) {
        return root() + "/ids/" + clusterId;
    }

    public String workers(long datacenterId) {
        return root() + "/workers/" + datacenterId;
    }

    public String worker(long datacenterId, long workerId) {
        return workers(datacenterId) + "/" + workerId;
    }

    public String owners(long datacenterId) {
        return root() + "/owners/" + datacenterId;
    }

    public String owner(long datacenterId, long workerId) {
        return owners(datacenterId) + "/" + workerId;
    }
}
