/**
 * The {@code lesionlink} command line: {@link org.lesionlink.cli.Main} and one picocli command class
 * per verb. Commands write machine-readable output to stdout and logs to stderr, and exit non-zero with
 * a message naming the problem on bad input.
 */
package org.lesionlink.cli;
