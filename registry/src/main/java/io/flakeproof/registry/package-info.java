/**
 * The ZooKeeper side of the worker lease: the registry a fleet's nodes share.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>ZooKeeper is the real thing.</b> A multi-machine fleet points at a ZooKeeper ensemble; a
 *       single machine runs {@link io.flakeproof.registry.EmbeddedZooKeeper}, the same server code
 *       in-process, with the same durability. Tests use it too, so they exercise the code that ships.</li>
 *   <li><b>Loopback by default.</b> What this package listens on is bound to {@code 127.0.0.1}.</li>
 *   <li><b>Errors</b> name the directory, address or value at fault; bad arguments throw
 *       {@code IllegalArgumentException} with the bound and the value.</li>
 * </ul>
 */
package io.flakeproof.registry;
