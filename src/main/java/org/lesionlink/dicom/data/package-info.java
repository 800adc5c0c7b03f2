/**
 * The DICOM data model, PS3.5 chapters 6 and 7: tags, value representations, data sets with raw little-endian
 * values and typed accessors, sequences, encapsulated pixel data, character sets, UIDs, transfer syntaxes, and
 * the data dictionary generated from the standard's tables (resources {@code elements.tsv} and {@code uids.tsv},
 * made by {@code scripts/generate-dicom-dictionary.py}).
 */
package org.lesionlink.dicom.data;
