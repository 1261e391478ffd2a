// `import Devices` brings the status model and the SANE driver too: they live in modules of
// their own only so that the kiosk-sane helper can link them without the other drivers.
@_exported import DeviceModel
@_exported import SANEDriver
