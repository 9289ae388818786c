/**
 * The ID node's HTTP/1.1 layer on Netty: {@link io.flakeproof.service.http.HttpNodeServer} serving an
 * {@link io.flakeproof.service.IdNode} as configured by {@link io.flakeproof.service.http.HttpSettings}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Threads.</b> Event loops decode, aggregate and write and never block; the one handler that
 *       may block (it mints) runs on the mint executor group. See {@code HttpNodeServer}.</li>
 *   <li><b>Bodies.</b> JSON written with Jackson's streaming generator into a {@code ByteBuf}; field
 *       names in snake_case; instants ISO-8601 UTC with exactly milliseconds; IDs as JSON numbers, or
 *       strings with {@code format=string}.</li>
 *   <li><b>Errors</b> are always JSON {@code {"error":"..."}}, and a message about a bad value names
 *       the value and its bound, like the rest of flakeproof: {@code count must be in [1, 100000]: 0}.
 *       A 503 carries {@code Retry-After}.</li>
 *   <li><b>Batches are all or nothing</b>: a request for N IDs gets N or a 503, never fewer.</li>
 *   <li><b>Every response has a length</b>, so every connection can be kept alive; the node closes one
 *       only when asked to, when its byte stream is spoiled (a malformed or oversized request), or when
 *       it stops.</li>
 * </ul>
 */
package io.flakeproof.service.http;
