/** File output shared by every tool: atomic, readable writes. */
package dev.pier.io;
