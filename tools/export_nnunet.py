#!/usr/bin/env python3
"""Export a trained nnU-Net v2 model for LesionLink: one TorchScript (and ONNX) file per fold.

Runs wherever nnunetv2 and its trained results folder are installed (nnunetv2 is NOT needed by LesionLink
itself, and this script cannot run inside LesionLink's own build or tests, which have no nnunetv2):

    python export_nnunet.py RESULTS_FOLDER OUT_DIR [--folds 0 1 2 3 4] [--checkpoint checkpoint_final.pth]
                            [--no-onnx] [--opset 17]

RESULTS_FOLDER is one trained configuration, e.g.
    $nnUNet_results/Dataset501_BraTSMets/nnUNetTrainer__nnUNetPlans__3d_fullres
with fold_0/ ... fold_4/ (each holding the checkpoint), plans.json and dataset.json.

OUT_DIR gets fold_<f>.pt (TorchScript), fold_<f>.onnx (unless --no-onnx), plans.json, dataset.json and
export.json (folds, configuration, inference_allowed_mirroring_axes from the checkpoint, versions). Then:

    lesionlink import-nnunet --plans OUT_DIR/plans.json --dataset OUT_DIR/dataset.json \
        --configuration 3d_fullres --weights OUT_DIR --out models/my-model

How: nnunetv2's own predictor API builds the network and loads every fold
(nnUNetPredictor.initialize_from_trained_model_folder, then predictor.network and
predictor.list_of_parameters). Each fold is wrapped so that it takes LesionLink's tensors and traced on
the CPU with torch.jit.trace, then checked against the unwrapped network on a random tile.

Tensor layout. LesionLink feeds (N, C, k, j, i) = nnU-Net's arrays *before* transpose_forward, i.e. the
(z, y, x) order nnU-Net's image readers produce. nnU-Net networks expect the transposed array, so the
wrapper applies transpose_forward to the input and transpose_backward to the logits; with the usual
identity transpose both are no-ops. 2D configurations: the input is (N, C, a, b), the two voxel axes other
than the slice axis (transposed axis 0) in untransposed order, and the wrapper orders them as the network
expects. The network is built with deep supervision off (as nnU-Net does for inference); should it still
return a list, the first (full-resolution) output is taken.
"""
import argparse
import json
import os
import shutil
import sys

import torch


class LesionLinkLayout(torch.nn.Module):
    """Takes LesionLink's untransposed tensors, runs an nnU-Net network, returns untransposed logits."""

    def __init__(self, network, transpose_forward, two_d):
        super().__init__()
        self.network = network
        tf = [int(a) for a in transpose_forward]
        if two_d:
            plane = sorted(tf[1:])                        # untransposed order of the in-plane axes
            p = [plane.index(tf[1]), plane.index(tf[2])]  # network order; a 2-permutation is its own inverse
            self.forward_perm = [0, 1] + [2 + a for a in p]
            self.backward_perm = list(self.forward_perm)
        else:
            tb = sorted(range(3), key=lambda a: tf[a])     # argsort = transpose_backward
            self.forward_perm = [0, 1] + [2 + a for a in tf]
            self.backward_perm = [0, 1] + [2 + a for a in tb]

    def forward(self, x):
        y = self.network(x.permute(self.forward_perm))
        if isinstance(y, (list, tuple)):
            y = y[0]
        return y.permute(self.backward_perm).contiguous()


def untransposed_shape(patch, transpose_forward):
    """Spatial sizes of LesionLink's input tensor for an nnU-Net patch (transposed axes)."""
    tf = list(transpose_forward)
    if len(patch) == 2:
        plane = sorted(tf[1:])
        return [patch[tf[1:].index(o)] for o in plane]
    return [patch[tf.index(o)] for o in range(3)]


def find_folds(folder, checkpoint):
    folds = []
    for d in sorted(os.listdir(folder)):
        if d.startswith("fold_") and os.path.isfile(os.path.join(folder, d, checkpoint)):
            f = d[len("fold_"):]
            folds.append(int(f) if f.isdigit() else f)
    return folds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results_folder")
    ap.add_argument("out_dir")
    ap.add_argument("--folds", nargs="+", default=None, help="fold ids (default: every fold_* with the checkpoint)")
    ap.add_argument("--checkpoint", default="checkpoint_final.pth")
    ap.add_argument("--no-onnx", action="store_true")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()

    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor
    from nnunetv2.utilities.label_handling.label_handling import determine_num_input_channels

    folds = [int(f) if str(f).isdigit() else f for f in a.folds] if a.folds else find_folds(a.results_folder, a.checkpoint)
    if not folds:
        sys.exit("no fold_*/%s in %s" % (a.checkpoint, a.results_folder))
    if os.path.exists(a.out_dir) and os.listdir(a.out_dir):
        sys.exit("%s exists and is not empty" % a.out_dir)
    os.makedirs(a.out_dir, exist_ok=True)

    torch.set_grad_enabled(False)
    predictor = nnUNetPredictor(device=torch.device("cpu"))
    predictor.initialize_from_trained_model_folder(a.results_folder, use_folds=tuple(folds), checkpoint_name=a.checkpoint)
    plans = predictor.plans_manager
    config = predictor.configuration_manager
    patch = [int(p) for p in config.patch_size]
    tf = list(plans.transpose_forward)
    two_d = len(patch) == 2
    channels = determine_num_input_channels(plans, config, predictor.dataset_json)
    network = getattr(predictor.network, "_orig_mod", predictor.network)  # unwrap torch.compile
    network = network.to("cpu").eval()

    example = torch.randn(2, channels, *untransposed_shape(patch, tf))
    written = []
    for fold, params in zip(folds, predictor.list_of_parameters):
        network.load_state_dict(params)
        wrapped = LesionLinkLayout(network, tf, two_d).eval()
        traced = torch.jit.trace(wrapped, example, check_trace=False)
        expected = wrapped(example)
        got = traced(example)
        err = float((expected - got).abs().max())
        if err > 1e-4:
            sys.exit("fold %s: the traced network differs from nnU-Net's by %g" % (fold, err))
        pt = os.path.join(a.out_dir, "fold_%s.pt" % fold)
        traced.save(pt)
        written.append(pt)
        if not a.no_onnx:
            onnx = os.path.join(a.out_dir, "fold_%s.onnx" % fold)
            torch.onnx.export(wrapped, example, onnx, opset_version=a.opset, input_names=["input"],
                              output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
            written.append(onnx)
        print("fold %s: logits %s, traced vs eager max |diff| %.2g" % (fold, tuple(expected.shape), err))

    for name in ("plans.json", "dataset.json"):
        shutil.copyfile(os.path.join(a.results_folder, name), os.path.join(a.out_dir, name))
    configuration = os.path.basename(os.path.normpath(a.results_folder)).split("__")[-1]
    mirror = predictor.allowed_mirroring_axes
    try:
        import nnunetv2
        nn_version = getattr(nnunetv2, "__version__", "unknown")
    except Exception:  # noqa: BLE001
        nn_version = "unknown"
    with open(os.path.join(a.out_dir, "export.json"), "w") as f:
        json.dump({
            "source": os.path.abspath(a.results_folder),
            "configuration": configuration,
            "checkpoint": a.checkpoint,
            "folds": [str(x) for x in folds],
            "inference_allowed_mirroring_axes": None if mirror is None else [int(x) for x in mirror],
            "transpose_forward": tf,
            "tensor_layout": "(N, C, untransposed array axes) = LesionLink (N, C, k, j, i)",
            "nnunetv2": nn_version,
            "torch": torch.__version__,
        }, f, indent=2)
    print("wrote %d file(s) to %s; next:" % (len(written), a.out_dir))
    print("  lesionlink import-nnunet --plans %s --dataset %s --configuration %s --weights %s --out models/NAME"
          % (os.path.join(a.out_dir, "plans.json"), os.path.join(a.out_dir, "dataset.json"), configuration, a.out_dir))


if __name__ == "__main__":
    main()
