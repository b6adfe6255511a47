/** picocli commands. No business logic here: each command parses options and calls one service. */
package dev.pier.cli;
