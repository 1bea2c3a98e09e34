package dockerapi

import (
	"context"
	"io"
	"net"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
)

// The calls the fake does not model: each fails as NotImplemented.

func (f *FakeClient) ContainerTop(context.Context, string, []string) (container.TopResponse, error) {
	return container.TopResponse{}, notImplemented("ContainerTop")
}

func (f *FakeClient) ContainerStats(context.Context, string, bool) (container.StatsResponseReader, error) {
	return container.StatsResponseReader{}, notImplemented("ContainerStats")
}

func (f *FakeClient) ContainerAttach(context.Context, string, container.AttachOptions) (types.HijackedResponse, error) {
	return types.HijackedResponse{}, notImplemented("ContainerAttach")
}

func (f *FakeClient) ContainerResize(context.Context, string, container.ResizeOptions) error {
	return notImplemented("ContainerResize")
}

func (f *FakeClient) ContainerExecCreate(context.Context, string, container.ExecOptions) (container.ExecCreateResponse, error) {
	return container.ExecCreateResponse{}, notImplemented("ContainerExecCreate")
}

func (f *FakeClient) ContainerExecAttach(context.Context, string, container.ExecAttachOptions) (types.HijackedResponse, error) {
	return types.HijackedResponse{}, notImplemented("ContainerExecAttach")
}

func (f *FakeClient) ContainerExecInspect(context.Context, string) (container.ExecInspect, error) {
	return container.ExecInspect{}, notImplemented("ContainerExecInspect")
}

func (f *FakeClient) ContainerExecResize(context.Context, string, container.ResizeOptions) error {
	return notImplemented("ContainerExecResize")
}

func (f *FakeClient) BuildCancel(context.Context, string) error { return notImplemented("BuildCancel") }

func (f *FakeClient) DialHijack(context.Context, string, string, map[string][]string) (net.Conn, error) {
	return nil, notImplemented("DialHijack")
}

func (f *FakeClient) ImageSave(context.Context, []string, ...client.ImageSaveOption) (io.ReadCloser, error) {
	return nil, notImplemented("ImageSave")
}

func (f *FakeClient) ImageLoad(context.Context, io.Reader, ...client.ImageLoadOption) (image.LoadResponse, error) {
	return image.LoadResponse{}, notImplemented("ImageLoad")
}
