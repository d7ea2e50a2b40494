/** The data model the stages share: splits, the prepared-data manifest and pixel scaling. */
package dev.nightjar.data;
