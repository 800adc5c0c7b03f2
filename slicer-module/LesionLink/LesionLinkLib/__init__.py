"""LesionLinkLib: the Slicer-free part of the LesionLink Slicer module (numpy and the standard library only).

- :mod:`.igtl`: OpenIGTLink framing, CRC-64, message bodies, a socket connection with a reader thread;
- :mod:`.geometry`: IMAGE fields <-> IJK-to-RAS, LPS <-> RAS;
- :mod:`.client`: :class:`~.client.LesionLinkClient`, the segmentation conversation with ``lesionlink serve``;
- :mod:`.ablation`: :class:`~.ablation.AblationSession`, ablation monitoring and thermometry (section 7);
- :mod:`.report`: the JSON report as lesion rows;
- :mod:`.channels`: which volume is which model channel, guessed from names.
"""
