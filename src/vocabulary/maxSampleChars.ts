/**
 * The most characters a sample's input or output may have, and an input to answer. A prompt keeps
 * only `maxInputChars` (200 by default) of an input anyway; anything this large is a whole file
 * selected by mistake, which would fill the store and the trainer's job for nothing.
 */
export const maxSampleChars = 20_000;
