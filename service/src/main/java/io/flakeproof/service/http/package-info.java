/**
 * The ID node's HTTP/1.1 layer on Netty: {@link io.flakeproof.service.http.HttpNodeServer} serving an
 * {@link io.flakeproof.service.IdNode} as configured by {@link io.flakeproof.service.http.HttpSettings}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Threads.</b> Event loops decode, aggregate and write and never block; answering that may
 *       block (it mints) runs on the mint executor, shared by every connection, one task per connection
 *       at a time. See {@code HttpNodeServer}.</li>
 *   <li><b>Bodies.</b> JSON written with Jackson's streaming generator into a {@code ByteBuf}; field
 *       names in snake_case; instants ISO-8601 UTC with exactly milliseconds; IDs as JSON numbers, or
 *       strings with {@code format=string}.</li>
 *   <li><b>Errors</b> are always JSON {@code {"error":"..."}}, and a message about a bad value names
 *       the value and its bound, like the rest of flakeproof: {@code count must be in [1, 100000]: 0}.
 *       A 503 carries {@code Retry-After}.</li>
 *   <li><b>Batches are all or nothing</b>: a request for N IDs gets N or a 503, never fewer.</li>
 *   <li><b>Every request gets one answer, in order</b>, or the connection is closed cleanly: a refused
 *       framing, version or expectation, a timeout and the connection cap all answer before they close.
 *       Nothing an input does is a 500, and bad input is logged at DEBUG only.</li>
 *   <li><b>Every response has a length</b>, so every connection can be kept alive; the node closes one
 *       only when asked to, when its byte stream is spoiled (a malformed, oversized or timed-out request),
 *       after a half-close once every request is answered, after the idle timeout, or when it stops.</li>
 *   <li><b>Bounded per client</b>: a limit on everything a client can make the node hold (connections,
 *       queued requests, time to send a request, time idle), each a setting of {@code HttpSettings} and
 *       a {@code serve} option.</li>
 * </ul>
 */
package io.flakeproof.service.http;
