/** File names of a PEFT adapter folder (`save_pretrained`) and ConPET's note beside them. */
export const peftConfigFile = "adapter_config.json";
export const peftWeightsFile = "adapter_model.safetensors";
/** PEFT's older pickle format, which is not read: unpickling runs code. */
export const peftPickleFile = "adapter_model.bin";
/** Written by ConPET's export: the base model the adapter was trained on, checked on import. */
export const conpetNoteFile = "conpet.json";

export type ConpetNote = {
    format: "conpet-peft-v1";
    task: string;
    baseModel: {fingerprint: string; architecture: string; name: string | null};
};
