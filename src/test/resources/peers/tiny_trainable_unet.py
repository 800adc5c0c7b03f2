"""A tiny scripted 3D U-Net with BatchNorm, the TorchScript peer of the fine-tuning tests.

    tiny_trainable_unet.py make OUT.pt     writes the scripted module (seeded, 2 inputs, 3 outputs)
    tiny_trainable_unet.py compare A.pt B.pt
        prints JSON: largest parameter change, largest BatchNorm running-mean change, and whether the
        two modules' outputs on a fixed input differ (eval mode)
"""
import json
import sys

import torch
from torch import nn


def block(cin, cout, stride=1):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, stride=stride, padding=1), nn.BatchNorm3d(cout), nn.ReLU())


class TinyUNet(nn.Module):
    def __init__(self, cin=2, cout=3):
        super().__init__()
        self.enc = block(cin, 4)
        self.down = block(4, 8, stride=2)
        self.up = nn.ConvTranspose3d(8, 4, 2, stride=2)
        self.dec = block(8, 4)
        self.head = nn.Conv3d(4, cout, 1)

    def forward(self, x):
        e = self.enc(x)
        d = self.up(self.down(e))
        return self.head(self.dec(torch.cat([e, d], 1)))


def make(out):
    torch.manual_seed(7)
    m = torch.jit.script(TinyUNet())
    m.save(out)


def compare(a, b):
    ma, mb = torch.jit.load(a), torch.jit.load(b)
    pa, pb = dict(ma.named_parameters()), dict(mb.named_parameters())
    assert pa.keys() == pb.keys(), (pa.keys(), pb.keys())
    dp = max((pa[k] - pb[k]).abs().max().item() for k in pa)
    ba, bb = dict(ma.named_buffers()), dict(mb.named_buffers())
    dm = max((ba[k] - bb[k]).abs().max().item() for k in ba if k.endswith("running_mean"))
    ma.eval()
    mb.eval()
    x = torch.linspace(-1, 1, 2 * 16 ** 3).reshape(1, 2, 16, 16, 16)
    with torch.no_grad():
        do = (ma(x) - mb(x)).abs().max().item()
    print(json.dumps({"parameters": len(pa), "maxParameterChange": dp, "maxRunningMeanChange": dm, "maxOutputChange": do}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        compare(sys.argv[2], sys.argv[3])
