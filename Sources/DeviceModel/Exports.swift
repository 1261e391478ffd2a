// `import DeviceModel` (and so `import Devices`) brings the status model too: it lives in a
// leaf module of its own (StatusModel) so that an API client can import it without any driver.
@_exported import StatusModel
