/**
 * The command-line plumbing shared by every flakeproof command ({@code serve}, {@code decode},
 * {@code layouts}, {@code load}, {@code simulate}, and the ones to come): {@link
 * io.flakeproof.cli.CommandLines} runs a command and refuses a bad argument with one line and exit 2;
 * {@link io.flakeproof.cli.Bounds} checks a value against its range and names both when it is out.
 */
package io.flakeproof.cli;
