"""Digital signatures on the report's PDF (Decree 30/2020/NĐ-CP, Art. 5), with pyHanko.

- `to_sign`: the frozen report as PDF/A with its fingerprint and the signer's field;
- `verify`: a signed PDF brought back, checked (integrity, version, time, chain, name);
- `agency`: the agency's signature with its seal, added by cchc;
- `layout`: where the signature image and the seal go on the page;
- `keys`: trust roots and the agency's PKCS#12, read from the configured files.

No CMS is written here by hand: pyHanko signs and validates.
"""
