#!/usr/bin/env python3
"""Export OpenAI CLIP (openai/clip-vit-base-patch32) into Meadow's CLIP contract.

Meadow loads any CLIP through one contract: a TensorFlow SavedModel with the signatures
    encode_text(input_ids[N,77] int64, attention_mask[N,77] int64) -> text_embeds[N,512]
    encode_image(pixel_values[N,3,224,224] float32)                 -> image_embeds[N,512]
plus clip.json (sizes, OpenAI's image mean and std, channel layout) and tokenizer.json.

This script needs Python 3.9+, internet access to download the weights, and
    pip install "tensorflow>=2.15,<2.19" "transformers>=4.40"
It cannot run on Meadow's build machines (they have neither), so Meadow's tests load its own CLIP, which is
exported under exactly the same contract.

Usage:
    tools/export_openai_clip.py OUT_DIR [--model openai/clip-vit-base-patch32] [--id openai-clip-vit-b32]
Then, with the stack running:
    ./meadow publish-model OUT_DIR --activate
and train a decoder against it (its embeddings are 512-dimensional).
"""
import argparse
import datetime
import hashlib
import json
import os
import pathlib

CONTEXT = 77
IMAGE = 224
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--model", default="openai/clip-vit-base-patch32")
    parser.add_argument("--id", default="openai-clip-vit-b32")
    args = parser.parse_args()

    import tensorflow as tf
    from transformers import CLIPTokenizerFast, TFCLIPModel

    model = TFCLIPModel.from_pretrained(args.model)
    tokenizer = CLIPTokenizerFast.from_pretrained(args.model)

    class Export(tf.Module):
        def __init__(self, clip):
            super().__init__()
            self.clip = clip

        @tf.function(input_signature=[tf.TensorSpec([None, CONTEXT], tf.int64, name="input_ids"),
                                      tf.TensorSpec([None, CONTEXT], tf.int64, name="attention_mask")])
        def encode_text(self, input_ids, attention_mask):
            embeds = self.clip.get_text_features(input_ids=tf.cast(input_ids, tf.int32),
                                                 attention_mask=tf.cast(attention_mask, tf.int32))
            return {"text_embeds": embeds}

        @tf.function(input_signature=[tf.TensorSpec([None, 3, IMAGE, IMAGE], tf.float32, name="pixel_values")])
        def encode_image(self, pixel_values):
            return {"image_embeds": self.clip.get_image_features(pixel_values=pixel_values)}

    export = Export(model)
    args.out.mkdir(parents=True, exist_ok=True)
    tf.saved_model.save(export, str(args.out), signatures={
        "encode_text": export.encode_text.get_concrete_function(),
        "encode_image": export.encode_image.get_concrete_function(),
    })

    # Pad with <|endoftext|>: CLIP pools at the first end-of-text token, which padding then never moves.
    backend = tokenizer.backend_tokenizer
    end = tokenizer.eos_token_id
    backend.enable_truncation(max_length=CONTEXT)
    backend.enable_padding(length=CONTEXT, pad_id=end, pad_token=tokenizer.eos_token)
    backend.save(str(args.out / "tokenizer.json"))

    files = {}
    for path in sorted(p for p in args.out.rglob("*") if p.is_file() and p.name != "clip.json"):
        files[path.relative_to(args.out).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    card = {
        "format": "meadow-clip",
        "formatVersion": 1,
        "modelId": args.id,
        "source": args.model,
        "embeddingDimension": int(model.config.projection_dim),
        "imageSize": IMAGE,
        "imageMean": MEAN,
        "imageStd": STD,
        "channelLayout": "channels_first",
        "contextLength": CONTEXT,
        "normalized": False,
        "metrics": {},
        "files": files,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (args.out / "clip.json").write_text(json.dumps(card, indent=2) + os.linesep)
    print(f"Exported {args.model} as {args.id} to {args.out}")


if __name__ == "__main__":
    main()
